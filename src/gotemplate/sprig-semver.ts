import { quoteGo } from '../go/index.js';
import { FuncError } from './errors.js';
import { def, type GoFunc } from './functions.js';

/** Masterminds/semver v3 as sprig's `semver` and `semverCompare` use it. */

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const SEMVER = String.raw`v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const VERSION_RE = new RegExp(`^${SEMVER}$`);
const CONSTRAINT_RE = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const RANGE_RE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');
const FIND_RE = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const VALID_RE = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);

const MAX_U64 = 2n ** 64n - 1n;
const isNum = (s: string): boolean => /^[0-9]*$/.test(s);

function parseSegment(s: string): bigint {
  const n = BigInt(s);
  if (n > MAX_U64) {
    throw new FuncError(
      `Error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`,
    );
  }
  return n;
}

function validatePrerelease(p: string): void {
  for (const part of p.split('.')) {
    if (isNum(part)) {
      if (part.length > 1 && part[0] === '0') throw new FuncError('Version segment starts with 0');
    } else if (!/^[0-9A-Za-z-]*$/.test(part)) throw new FuncError('Invalid Prerelease string');
  }
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sNum = /^[0-9]+$/.test(s) && BigInt(s) <= MAX_U64;
  const oNum = /^[0-9]+$/.test(o) && BigInt(o) <= MAX_U64;
  if (!sNum && !oNum) return s > o ? 1 : -1;
  if (!oNum) return -1;
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  const sp = a.split('.');
  const op = b.split('.');
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
const asNumber = (n: bigint): number | bigint => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);

/** A parsed version; methods use Go's names so templates can call `.Major`, `.LessThan` and so on. */
export class SemverVersion {
  get goType(): string {
    return '*semver.Version';
  }

  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
    readonly metadata: string,
    readonly original: string,
  ) {}

  static parse(v: string): SemverVersion {
    const m = VERSION_RE.exec(v);
    if (!m) throw new FuncError('Invalid Semantic Version');
    const pre = m[5] ?? '';
    const metadata = m[8] ?? '';
    const version = new SemverVersion(
      parseSegment(m[1] ?? '0'),
      m[2] ? parseSegment(m[2].slice(1)) : 0n,
      m[3] ? parseSegment(m[3].slice(1)) : 0n,
      pre,
      metadata,
      v,
    );
    if (pre !== '') validatePrerelease(pre);
    if (metadata !== '' && !metadata.split('.').every((p) => /^[0-9A-Za-z-]+$/.test(p))) {
      throw new FuncError('Invalid Metadata string');
    }
    return version;
  }

  Major(): number | bigint {
    return asNumber(this.major);
  }
  Minor(): number | bigint {
    return asNumber(this.minor);
  }
  Patch(): number | bigint {
    return asNumber(this.patch);
  }
  Prerelease(): string {
    return this.pre;
  }
  Metadata(): string {
    return this.metadata;
  }
  Original(): string {
    return this.original;
  }
  String(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.pre !== '') s += `-${this.pre}`;
    if (this.metadata !== '') s += `+${this.metadata}`;
    return s;
  }
  toString(): string {
    return this.String();
  }
  /** Version.MarshalJSON: the version string. */
  toJSON(): string {
    return this.String();
  }
  Compare(o: unknown): number {
    const other = asVersion(o);
    return (
      cmp(this.major, other.major) ||
      cmp(this.minor, other.minor) ||
      cmp(this.patch, other.patch) ||
      (this.pre === '' && other.pre === ''
        ? 0
        : this.pre === ''
          ? 1
          : other.pre === ''
            ? -1
            : comparePrerelease(this.pre, other.pre))
    );
  }
  LessThan(o: unknown): boolean {
    return this.Compare(o) < 0;
  }
  LessThanEqual(o: unknown): boolean {
    return this.Compare(o) <= 0;
  }
  GreaterThan(o: unknown): boolean {
    return this.Compare(o) > 0;
  }
  GreaterThanEqual(o: unknown): boolean {
    return this.Compare(o) >= 0;
  }
  Equal(o: unknown): boolean {
    return this.Compare(o) === 0;
  }
  IncPatch(): SemverVersion {
    const bump = this.pre === '' && this.metadata === '';
    return this.derive(this.major, this.minor, bump ? this.patch + 1n : this.patch);
  }
  IncMinor(): SemverVersion {
    return this.derive(this.major, this.minor + 1n, 0n);
  }
  IncMajor(): SemverVersion {
    return this.derive(this.major + 1n, 0n, 0n);
  }
  private derive(major: bigint, minor: bigint, patch: bigint): SemverVersion {
    const v = new SemverVersion(major, minor, patch, '', '', '');
    return new SemverVersion(major, minor, patch, '', '', v.String());
  }
}

function asVersion(v: unknown): SemverVersion {
  if (v instanceof SemverVersion) return v;
  throw new FuncError('expected *semver.Version');
}

interface Constraint {
  readonly con: SemverVersion;
  readonly orig: string;
  readonly op: string;
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

const isX = (s: string): boolean => s === 'x' || s === '*' || s === 'X';

function parseConstraint(c: string, v35 = false): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new FuncError(`improper constraint: ${v35 ? quoteGo(c) : c}`);
  const [, op = '', orig = '', major = '', minor = '', patch = ''] = m;
  const pre = m[6] ?? '';
  let ver = orig;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, '')) || minor === '') {
    minorDirty = true;
    dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (isX(patch.replace(/^\./, '')) || patch === '') {
    dirty = true;
    patchDirty = true;
    ver = `${major}${minor}.0${pre}`;
  }
  let con: SemverVersion;
  try {
    con = SemverVersion.parse(ver);
  } catch {
    throw new FuncError(v35 ? 'constraint parser error' : 'constraint Parser Error');
  }
  return { con, orig, op, dirty, minorDirty, patchDirty };
}

/**
 * One constraint against a version. `includePre`: whether a prerelease version may match — sprig's
 * Masterminds v3.3 decides per constraint (the constraint names a prerelease), v3.5 per AND group.
 */
function check(v: SemverVersion, c: Constraint, includePre: boolean, groupRule: boolean): boolean {
  const preBlocked = v.pre !== '' && !includePre;
  switch (c.op) {
    case '!=': {
      if (groupRule && preBlocked) return false;
      if (c.dirty) {
        if (preBlocked) return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return !v.Equal(c.con);
    }
    case '>':
      if (preBlocked) return false;
      if (!c.dirty) return v.Compare(c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major || c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return v.Compare(c.con) === 1;
    case '<':
      return !preBlocked && v.Compare(c.con) < 0;
    case '>=':
    case '=>':
      return !preBlocked && v.Compare(c.con) >= 0;
    case '<=':
    case '=<':
      if (preBlocked) return false;
      if (!c.dirty) return v.Compare(c.con) <= 0;
      if (v.major > c.con.major) return false;
      return !(v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return !preBlocked && tilde(v, c);
    case '^':
      return !preBlocked && caret(v, c);
    default:
      if (preBlocked) return false;
      return c.dirty ? tilde(v, c) : v.Equal(c.con);
  }
}

function tilde(v: SemverVersion, c: Constraint): boolean {
  if (v.LessThan(c.con)) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) {
    return true;
  }
  if (v.major !== c.con.major) return false;
  return !(v.minor !== c.con.minor && !c.minorDirty);
}

function caret(v: SemverVersion, c: Constraint): boolean {
  if (v.LessThan(c.con)) return false;
  if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
  if (c.con.major === 0n && v.major > 0n) return false;
  if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
  if (c.con.minor === 0n && v.minor > 0n) return false;
  return c.con.patch === v.patch;
}

function rewriteRange(s: string): string {
  let out = s;
  for (const m of s.matchAll(RANGE_RE)) out = out.replace(m[0], `>= ${m[1]}, <= ${m[11]} `);
  return out;
}

/** Which Masterminds/semver v3 rules a constraint follows. */
export interface SemverConstraintOptions {
  /**
   * Masterminds/semver v3.5 (Flux's image-reflector-controller): a prerelease named by any constraint
   * of an AND group lets prereleases match the whole group, error texts quote with %q, and a
   * constraint is at most 512 bytes and 32 `||` groups. Default: sprig's v3.3 rules (per constraint).
   */
  readonly v35?: boolean;
}

/** A parsed constraint (semver.NewConstraint). */
export interface SemverConstraint {
  check(version: SemverVersion): boolean;
}

const MAX_CONSTRAINT_LEN = 512;
const MAX_CONSTRAINT_GROUPS = 32;

/** semver.NewConstraint(c), with the library's errors; throws a FuncError when `constraint` is invalid. */
export function parseSemverConstraint(
  constraint: string,
  options: SemverConstraintOptions = {},
): SemverConstraint {
  const v35 = options.v35 === true;
  const show = (s: string) => (v35 ? quoteGo(s) : s);
  if (v35 && constraint.length > MAX_CONSTRAINT_LEN)
    throw new FuncError(`constraint string is too long (max ${MAX_CONSTRAINT_LEN} bytes)`);
  const parts = rewriteRange(constraint).split('||');
  if (v35 && parts.length > MAX_CONSTRAINT_GROUPS)
    throw new FuncError(`too many constraint groups (max ${MAX_CONSTRAINT_GROUPS})`);
  const ors = parts.map((part) => {
    if (!VALID_RE.test(part)) throw new FuncError(`improper constraint: ${show(part)}`);
    const found = [...part.matchAll(FIND_RE)].map((m) => m[0]);
    return (found.length === 0 ? [part] : found).map((c) => parseConstraint(c, v35));
  });
  const groupHasPre = ors.map((and) => and.some((c) => c.con.pre !== ''));
  return {
    check: (v) =>
      ors.some((and, i) =>
        and.every((c) => check(v, c, v35 ? (groupHasPre[i] ?? false) : c.con.pre !== '', v35)),
      ),
  };
}

/** semver.NewConstraint(c).Check(NewVersion(v)), with the library's errors. */
export function semverCompare(constraint: string, version: string): boolean {
  const c = parseSemverConstraint(constraint);
  return c.check(SemverVersion.parse(version));
}

/** sprig's semver functions. */
export const SPRIG_SEMVER: Readonly<Record<string, GoFunc>> = {
  semver: def(['string'], (v) => SemverVersion.parse(v)),
  semverCompare: def(['string', 'string'], semverCompare),
};
