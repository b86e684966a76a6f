import type { GoFunc } from './functions.js';
import { expensive } from './sprig-budget.js';
import { SPRIG_CERTS } from './sprig-certs.js';
import { SPRIG_CRYPTO } from './sprig-crypto.js';
import { SPRIG_DATES } from './sprig-dates.js';
import { SPRIG_DEFAULTS } from './sprig-defaults.js';
import { SPRIG_DICTS } from './sprig-dicts.js';
import { SPRIG_ENCODING } from './sprig-encoding.js';
import { SPRIG_LISTS } from './sprig-lists.js';
import { SPRIG_MATH } from './sprig-math.js';
import { SPRIG_PATHS } from './sprig-paths.js';
import { SPRIG_REFLECT } from './sprig-reflect.js';
import { SPRIG_REGEX } from './sprig-regex.js';
import { SPRIG_SEMVER } from './sprig-semver.js';
import { SPRIG_STRINGS } from './sprig-strings.js';
import { SPRIG_TEXT } from './sprig-text.js';
import { SPRIG_URL } from './sprig-url.js';
import { createTimeNamespace } from './time-namespace.js';

export { toInt64 } from './sprig-convert.js';
export { isEmpty } from './sprig-defaults.js';

/**
 * Every function of sprig v3.3.0's TxtFuncMap except `env` and `expandenv`, as argocd-notifications
 * configures it, plus Slipway's `time`. Registered after Go's builtins, so sprig's `slice` replaces
 * text/template's, as template.Funcs does in Go.
 */
export const SPRIG_FUNCS: Readonly<Record<string, GoFunc>> = {
  hello: { params: [], variadic: undefined, call: () => 'Hello!' },
  ...SPRIG_STRINGS,
  ...SPRIG_TEXT,
  ...SPRIG_REGEX,
  ...SPRIG_MATH,
  ...SPRIG_DEFAULTS,
  ...SPRIG_ENCODING,
  ...SPRIG_LISTS,
  ...SPRIG_DICTS,
  ...SPRIG_DATES,
  ...SPRIG_REFLECT,
  ...SPRIG_PATHS,
  ...SPRIG_URL,
  ...SPRIG_SEMVER,
  ...SPRIG_CRYPTO,
  ...expensive({
    bcrypt: SPRIG_CRYPTO.bcrypt as GoFunc,
    htpasswd: SPRIG_CRYPTO.htpasswd as GoFunc,
    derivePassword: SPRIG_CRYPTO.derivePassword as GoFunc,
    genPrivateKey: SPRIG_CRYPTO.genPrivateKey as GoFunc,
    ...SPRIG_CERTS,
  }),
  /** Slipway extension: `time.Now` / `time.Parse` without the leading dot, bound to the clock. */
  time: {
    params: [],
    variadic: undefined,
    call: (_, ctx) => createTimeNamespace(() => new Date(ctx.now().UnixMilli())),
  },
};
