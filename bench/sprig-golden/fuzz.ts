/**
 * Seeded random comparison of sprig's functions against Go + sprig v3.3.0 (the oracle in build.sh):
 * random calls with arguments of the parameters' types (and sometimes of any type), compared on
 * output, or on error-or-not. Clock-dependent and random functions are left out; `keys`/`values`
 * too (Go's map order is random); so are calls on `.nil` (a known difference, see README).
 * Run: node --import tsx bench/sprig-golden/fuzz.ts [seed] [cases]
 */
import { execFileSync } from 'node:child_process';
import { parse, parseRfc3339 } from '../../src/gotemplate/index.js';
import { SPRIG_FUNCS } from '../../src/gotemplate/sprig.js';

const SKIP = new Set([
  'keys',
  'values',
  'now',
  'ago',
  'randInt',
  'randAlpha',
  'randAlphaNum',
  'randNumeric',
  'randAscii',
  'randBytes',
  'uuidv4',
  'shuffle',
  'bcrypt',
  'htpasswd',
  'genPrivateKey',
  'genCA',
  'genCAWithKey',
  'genSelfSignedCert',
  'genSelfSignedCertWithKey',
  'genSignedCert',
  'genSignedCertWithKey',
  'encryptAES',
  'derivePassword',
  'getHostByName',
  'time',
  'fail',
  'durationRound',
  'repeat',
  'until',
  'untilStep',
  'seq',
]);
let seed = Number(process.argv[2] ?? 1);
const rnd = (n: number): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) % n;
};
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
const strs = [
  '"a+"',
  '"(x)(y)?"',
  '"^$"',
  '"\\\\d+"',
  '"[bc]"',
  '"b*"',
  '">=1.2"',
  '"^1.0"',
  '"~1.2.3"',
  '"1.x"',
  '"v1.2.3-rc.1"',
  '"1.2.3+meta"',
  '"<2.0.0 || >3"',
  '"1.2 - 2.3"',
  '"!=1.2.3"',
  '"{\\"a\\":1}"',
  '"[1,2"',
  '"[1, \\"x\\"]"',
  '"aGk="',
  '"NBUQ===="',
  '"mailto:a@b.c"',
  '"//host/p"',
  '"a%20b"',
  '"https://h/a b?c d"',
  '"a:b"',
  '"x\\ny"',
  '"$1-$' + '{1}"', // RE2 reads ${1} as a repeated end anchor
  '"ſ"',
  '"İstanbul"',
  '"ǅ"',
  '"snake_Case-kebab caseXML2json"',
  '"  lead"',
  '""',
  '"a"',
  '"abc"',
  '"a,b,c"',
  '"Hello World"',
  '"1.5"',
  '"42"',
  '"-3"',
  '" x "',
  '"héllo"',
  '"a-b_c d"',
  '"HTTPServer"',
  '"x.y"',
  '"1.2.3"',
  '"/a/b.c"',
  '"http://u@h:1/p?q#f"',
  '"*"',
  '"[a-z]+"',
  '"0x1F"',
  '"010"',
  '"true"',
  '"2006-01-02"',
];
const nums = ['0', '1', '2', '3', '-1', '5', '1.5', '-2.5', '0.1', '100'];
function arg(depth: number): string {
  const r = rnd(10);
  if (r < 4) return pick(strs);
  if (r < 7) return pick(nums);
  if (r === 7) return pick(['nil', 'true', 'false', '.s', '.n', '.f', '.l', '.m', '.missing', '.ls']);
  if (depth > 1) return pick(strs);
  if (r === 8) return `(list ${Array.from({ length: rnd(4) }, () => arg(depth + 1)).join(' ')})`;
  return `(dict ${Array.from({ length: rnd(3) }, () => `${pick(strs)} ${arg(depth + 1)}`).join(' ')})`;
}
const names = Object.keys(SPRIG_FUNCS).filter((n) => !SKIP.has(n));
const data = {
  i: 3,
  ls: ['b', 'a', 'c'],
  big: 12345678.9,
  s: 'str',
  n: 3.5,
  f: 0.25,
  l: ['x', 2.5, null],
  m: { k: 'v', z: 1.5 },
  nil: null,
  t: { $time: '2024-07-02T03:04:05.123456789Z' },
  t2: { $time: '2023-12-31T23:59:59+05:30' },
};
const ourData = () => ({
  ...structuredClone({ ...data, t: null, t2: null }),
  t: parseRfc3339('2024-07-02T03:04:05.123456789Z'),
  t2: parseRfc3339('2023-12-31T23:59:59+05:30'),
});
const cases = Array.from({ length: Number(process.argv[3] ?? 2000) }, (_, i) => {
  const fn = pick(names);
  const argc = SPRIG_FUNCS[fn]!.params.length + (SPRIG_FUNCS[fn]!.variadic ? rnd(3) : 0);
  const f = SPRIG_FUNCS[fn]!;
  const typed = (i: number): string => {
    const t = f.params[i] ?? f.variadic ?? 'any';
    if (rnd(8) === 0 && !/[Dd]ate|Zone/.test(fn)) return arg(0);
    if (
      [
        'date',
        'dateInZone',
        'date_in_zone',
        'htmlDate',
        'htmlDateInZone',
        'dateModify',
        'mustDateModify',
        'date_modify',
        'must_date_modify',
        'unixEpoch',
      ].includes(fn) &&
      t === 'any'
    )
      return pick(['.t', '.t2', '0', '86400']);
    if (t === 'string' && /[Dd]ate|Zone/.test(fn))
      return pick([
        '"2006-01-02"',
        '"Jan 2 15:04:05 MST 2006"',
        '"15:04 -0700"',
        '"America/New_York"',
        '"Europe/Berlin"',
        '"Asia/Kolkata"',
        '"UTC"',
        '"bad/zone"',
        '"1h"',
        '"-30m"',
        '"x"',
        '"2006-01-02T15:04:05.000Z07:00"',
      ]);
    if (t === 'string') return pick(strs);
    if (t === 'int') return pick(['0', '1', '2', '3', '-1', '5', '10']);
    if (t === 'bool') return pick(['true', 'false']);
    return arg(0);
  };
  if (fn === 'toDate' || fn === 'mustToDate') {
    const layouts = [
      '"2006-01-02"',
      '"2006-01-02 15:04:05"',
      '"Jan 2 15:04:05 MST 2006"',
      '"Mon Jan _2 15:04:05 2006"',
      '"02/01/06 3:04PM"',
      '"2006-01-02T15:04:05Z07:00"',
      '"2006-01-02T15:04:05.000-0700"',
      '"15:04:05.999999999"',
      '"2006-002"',
      '"January 2, 2006"',
      '"06-1-2 3pm"',
    ];
    const values = [
      '"2024-03-04"',
      '"2024-3-4"',
      '"2024-03-04 05:06:07"',
      '"Mar 4 05:06:07 PST 2024"',
      '"Mon Mar  4 05:06:07 2024"',
      '"04/03/24 5:06PM"',
      '"2024-03-04T05:06:07+02:00"',
      '"2024-03-04T05:06:07Z"',
      '"2024-03-04T05:06:07.123-0700"',
      '"05:06:07.5"',
      '"2024-064"',
      '"March 4, 2024"',
      '"24-3-4 5pm"',
      '"2024-02-30"',
      '"2024-13-01"',
      '"x"',
      '""',
      '"2024-03-04 25:00:00"',
      '"Mar 4 05:06:07 GMT+3 2024"',
      '"2024-03-04T05:06:07.5Z"',
    ];
    return { name: `c${i}`, template: `{{ ${fn} ${pick(layouts)} ${pick(values)} }}`, data };
  }
  const args =
    rnd(12) === 0
      ? Array.from({ length: rnd(4) }, () => arg(0))
      : Array.from({ length: argc }, (_, i) => typed(i));
  return { name: `c${i}`, template: `{{ ${fn} ${args.join(' ')} }}`, data };
});
const oracle =
  execFileSync('bash', [new URL('build.sh', import.meta.url).pathname], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop() ?? '';
const go = JSON.parse(
  execFileSync(oracle, { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 28 }),
) as { expected?: string; error?: string }[];
let bad = 0;
const seen = new Map<string, number>();
cases.forEach((c, i) => {
  let ours: { expected?: string; error?: string };
  try {
    ours = { expected: parse(c.name, c.template).execute(ourData()) };
  } catch (e) {
    ours = { error: (e as Error).message };
  }
  const g = go[i]!;
  const agree = g.error !== undefined ? ours.error !== undefined : ours.expected === g.expected;
  if (!agree && !c.template.includes('.nil')) {
    bad++;
    const fn = c.template.split(' ')[1]!;
    seen.set(fn, (seen.get(fn) ?? 0) + 1);
    if ((seen.get(fn) ?? 0) <= 2)
      console.log(
        c.template,
        '\n   go:',
        JSON.stringify(g).slice(0, 200),
        '\n   us:',
        JSON.stringify(ours).slice(0, 200),
      );
  }
});
console.log(
  `disagreements ${bad}/${cases.length}`,
  [...seen]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}:${v}`)
    .join(' '),
);
