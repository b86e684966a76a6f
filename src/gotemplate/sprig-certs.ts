import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import { isIP } from 'node:net';
import {
  derBitString,
  derBool,
  derChildren,
  derInt,
  derNull,
  derOctets,
  derOid,
  derSequence,
  derSet,
  derTlv,
  pemDecode,
  pemEncode,
} from './der.js';
import { FuncError } from './errors.js';
import { formatValue } from './format-value.js';
import { def, type FuncContext, type GoFunc, type ParamType } from './functions.js';
import type { GoTime } from './go-time.js';
import { privateKeyPem } from './sprig-crypto.js';
import { goTypeOf } from './sprig-reflect.js';
import { typeName } from './values.js';

/**
 * sprig's certificate functions: X.509 v3 certificates built the way Go's x509.CreateCertificate
 * builds sprig's templates (key usages, extended key usages, basic constraints, key identifiers,
 * subject alternative names), signed with node:crypto. Times come from the template clock.
 */

/** sprig's `certificate` struct: PEM certificate and PEM private key. */
export class SprigCertificate {
  readonly goType = 'sprig.certificate';
  constructor(
    readonly Cert: string,
    readonly Key: string,
  ) {}
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function subjectName(cn: string): Buffer {
  if (cn === '') return derSequence([]);
  const value = PRINTABLE.test(cn) ? derTlv(0x13, Buffer.from(cn)) : derTlv(0x0c, Buffer.from(cn, 'utf8'));
  return derSequence([derSet([derSequence([derOid('2.5.4.3'), value])])]);
}

function derTime(t: Date): Buffer {
  const iso = t.toISOString();
  const year = t.getUTCFullYear();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  if (year < 0 || year > 9999) throw new FuncError('error creating certificate: x509: time out of range');
  return year >= 1950 && year < 2050
    ? derTlv(0x17, Buffer.from(`${digits.slice(2)}Z`))
    : derTlv(0x18, Buffer.from(`${digits}Z`));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return derSequence([derOid(oid), ...(critical ? [derBool(true)] : []), derOctets(value)]);
}

/** x509.KeyUsage bits as Go marshals them: bit 0 first, trailing zero bits dropped. */
function keyUsage(bits: readonly number[]): Buffer {
  let v = 0;
  for (const b of bits) v |= 0x80 >> b;
  const length = Math.max(...bits) + 1;
  return derBitString(Buffer.from([v]), 8 - length);
}

function signatureAlgorithm(key: KeyObject): { readonly id: Buffer; readonly hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { id: derSequence([derOid('1.2.840.113549.1.1.11'), derNull()]), hash: 'sha256' };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return { id: derSequence([derOid('1.2.840.10045.4.3.3')]), hash: 'sha384' };
      if (curve === 'secp521r1') return { id: derSequence([derOid('1.2.840.10045.4.3.4')]), hash: 'sha512' };
      return { id: derSequence([derOid('1.2.840.10045.4.3.2')]), hash: 'sha256' };
    }
    case 'ed25519':
      return { id: derSequence([derOid('1.3.101.112')]), hash: null };
    default:
      throw new FuncError(
        'error creating certificate: x509: certificate private key does not implement crypto.Signer',
      );
  }
}

interface Template {
  readonly cn: string;
  readonly ips: readonly Buffer[];
  readonly dns: readonly string[];
  readonly days: number;
  readonly isCA: boolean;
}

interface Parent {
  readonly subject: Buffer;
  readonly spki: Buffer;
  readonly subjectKeyId: Buffer | undefined;
}

function publicKeyBits(spki: Buffer): Buffer {
  const [, bits] = derChildren(derChildren(spki)[0]?.content ?? Buffer.alloc(0));
  return (bits?.content ?? Buffer.alloc(1)).subarray(1);
}

/** x509.CreateCertificate for sprig's templates; returns the PEM certificate. */
function createCertificate(
  t: Template,
  signee: KeyObject,
  parent: Parent | undefined,
  signer: KeyObject,
  now: GoTime,
): string {
  const spki = createPublicKey(signee).export({ type: 'spki', format: 'der' });
  const signerSpki = createPublicKey(signer).export({ type: 'spki', format: 'der' });
  if (parent && !parent.spki.equals(signerSpki)) {
    throw new FuncError(
      "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey",
    );
  }
  const alg = signatureAlgorithm(signer);
  const subject = subjectName(t.cn);
  const issuer = parent?.subject ?? subject;
  const subjectKeyId = t.isCA
    ? createHash('sha256').update(publicKeyBits(spki)).digest().subarray(0, 20)
    : undefined;
  const authorityKeyId = !issuer.equals(subject) ? parent?.subjectKeyId : undefined;
  const extensions: Buffer[] = [
    extension('2.5.29.15', true, keyUsage(t.isCA ? [0, 2, 5] : [0, 2])),
    extension('2.5.29.37', false, derSequence([derOid('1.3.6.1.5.5.7.3.1'), derOid('1.3.6.1.5.5.7.3.2')])),
    extension('2.5.29.19', true, derSequence(t.isCA ? [derBool(true)] : [])),
  ];
  if (subjectKeyId) extensions.push(extension('2.5.29.14', false, derOctets(subjectKeyId)));
  if (authorityKeyId)
    extensions.push(extension('2.5.29.35', false, derSequence([derTlv(0x80, authorityKeyId)])));
  if (t.dns.length > 0 || t.ips.length > 0) {
    const names = [...t.dns.map((d) => derTlv(0x82, Buffer.from(d))), ...t.ips.map((ip) => derTlv(0x87, ip))];
    extensions.push(extension('2.5.29.17', t.cn === '', derSequence(names)));
  }
  const notBefore = new Date(now.UnixMilli() - (now.UnixMilli() % 1000));
  const notAfter = new Date(notBefore.getTime() + t.days * 86_400_000);
  const tbs = derSequence([
    derTlv(0xa0, derInt(2n)),
    derInt(BigInt(`0x${randomBytes(16).toString('hex')}`)),
    alg.id,
    issuer,
    derSequence([derTime(notBefore), derTime(notAfter)]),
    subject,
    spki,
    derTlv(0xa3, derSequence(extensions)),
  ]);
  const signature = sign(alg.hash, tbs, signer);
  return pemEncode('CERTIFICATE', derSequence([tbs, alg.id, derBitString(signature)]));
}

/** Go's net.ParseIP: IPv4 as 4 bytes (as marshalled in SANs), IPv6 as 16. */
function parseIp(s: string): Buffer | undefined {
  const v = isIP(s);
  if (v === 4) return Buffer.from(s.split('.').map(Number));
  if (v !== 6 || s.includes('%')) return undefined;
  const [head = '', tail] = s.split('::');
  const words = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((w) => {
          if (w.includes('.')) {
            const b = w.split('.').map(Number);
            return [((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0)];
          }
          return [Number.parseInt(w, 16)];
        });
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = Buffer.alloc(16);
  for (const [i, w] of all.entries()) out.writeUInt16BE(w, i * 2);
  const v4 = out.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]));
  return v4 ? out.subarray(12) : out;
}

/** A `[]interface {}` parameter: nil or a list from `list`; other slice types are Go's type error. */
function interfaceList(v: unknown): readonly unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v) && goTypeOf(v) === '[]interface {}') return v;
  throw new FuncError(`wrong type for value; expected []interface {}; got ${goTypeOf(v)}`);
}

function ipList(v: unknown): Buffer[] {
  return interfaceList(v).map((ip) => {
    if (typeof ip !== 'string') throw new FuncError(`error parsing ip: ${formatValue(ip)} is not a string`);
    const parsed = parseIp(ip);
    if (!parsed) throw new FuncError(`error parsing ip: ${ip}`);
    return parsed;
  });
}

function dnsList(v: unknown): string[] {
  return interfaceList(v).map((d) => {
    if (typeof d !== 'string') {
      throw new FuncError(`error processing alternate dns name: ${formatValue(d)} is not a string`);
    }
    return d;
  });
}

/** sprig's parsePrivateKeyPEM, with its error texts. */
function parsePrivateKey(pem: string): KeyObject {
  const block = pemDecode(pem);
  if (!block) throw new Error('no PEM data in input');
  const kinds: Readonly<Record<string, string>> = {
    'PRIVATE KEY': 'decoding PEM as PKCS#8',
    'RSA PRIVATE KEY': 'parsing RSA private key from PEM',
    'EC PRIVATE KEY': 'parsing EC private key from PEM',
    'DSA PRIVATE KEY': 'parsing DSA private key from PEM',
  };
  const what = kinds[block.type];
  if (!what) {
    if (!block.type.endsWith(' PRIVATE KEY'))
      throw new Error(`no private key data in PEM block of type ${block.type}`);
    throw new Error(`invalid private key type ${block.type}`);
  }
  try {
    return createPrivateKey(pemEncode(block.type, block.der));
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message}`);
  }
}

const rsaKey = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

function withPemKey(pem: string): KeyObject {
  try {
    return parsePrivateKey(pem);
  } catch (err) {
    throw new FuncError(`parsing private key: ${(err as Error).message}`);
  }
}

function caCertificate(cn: string, days: number, key: KeyObject, now: GoTime): SprigCertificate {
  const cert = createCertificate({ cn, ips: [], dns: [], days, isCA: true }, key, undefined, key, now);
  return new SprigCertificate(cert, privateKeyPem(key));
}

function selfSigned(
  cn: string,
  ips: unknown,
  dns: unknown,
  days: number,
  key: KeyObject,
  now: GoTime,
): SprigCertificate {
  const cert = createCertificate(
    { cn, ips: ipList(ips), dns: dnsList(dns), days, isCA: false },
    key,
    undefined,
    key,
    now,
  );
  return new SprigCertificate(cert, privateKeyPem(key));
}

function parseCa(ca: unknown): { readonly parent: Parent; readonly key: KeyObject } {
  if (!(ca instanceof SprigCertificate)) {
    const got = ca === null || ca === undefined ? 'interface {}' : typeName(ca);
    throw new FuncError(`wrong type for value; expected sprig.certificate; got ${got}`);
  }
  const block = pemDecode(ca.Cert);
  if (!block) throw new FuncError('unable to decode certificate');
  let parent: Parent;
  try {
    new X509Certificate(block.der);
    const tbs =
      derChildren(derChildren(block.der)[0]?.content ?? Buffer.alloc(0))[0]?.content ?? Buffer.alloc(0);
    const fields = derChildren(tbs);
    const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
    const ext = fields.find((f) => f.tag === 0xa3);
    let subjectKeyId: Buffer | undefined;
    for (const e of derChildren(
      derChildren(ext?.content ?? Buffer.alloc(0))[0]?.content ?? Buffer.alloc(0),
    )) {
      const parts = derChildren(e.content);
      if (parts[0]?.raw.equals(derOid('2.5.29.14'))) {
        subjectKeyId = derChildren(parts[parts.length - 1]?.content ?? Buffer.alloc(0))[0]?.content;
      }
    }
    parent = {
      subject: fields[offset + 4]?.raw ?? Buffer.alloc(0),
      spki: fields[offset + 5]?.raw ?? Buffer.alloc(0),
      subjectKeyId,
    };
  } catch (err) {
    throw new FuncError(`error parsing certificate: decodedSignerCert.Bytes: ${(err as Error).message}`);
  }
  try {
    return { parent, key: parsePrivateKey(ca.Key) };
  } catch (err) {
    throw new FuncError(`error parsing private key: ${(err as Error).message}`);
  }
}

function signed(
  cn: string,
  ips: unknown,
  dns: unknown,
  days: number,
  ca: unknown,
  key: () => KeyObject,
  now: GoTime,
): SprigCertificate {
  const signer = parseCa(ca);
  const signee = key();
  const t = { cn, ips: ipList(ips), dns: dnsList(dns), days, isCA: false };
  return new SprigCertificate(
    createCertificate(t, signee, signer.parent, signer.key, now),
    privateKeyPem(signee),
  );
}

function buildCustom(b64cert: string, b64key: string): SprigCertificate {
  const decode = (s: string): Buffer | undefined =>
    /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? Buffer.from(s, 'base64') : undefined;
  const cert = decode(b64cert);
  if (!cert) throw new FuncError('unable to decode base64 certificate');
  const key = decode(b64key);
  if (!key) throw new FuncError('unable to decode base64 private key');
  const block = pemDecode(cert.toString('latin1'));
  if (!block) throw new FuncError('unable to decode certificate');
  try {
    new X509Certificate(block.der);
  } catch (err) {
    throw new FuncError(`error parsing certificate: decodedCert.Bytes: ${(err as Error).message}`);
  }
  try {
    parsePrivateKey(key.toString('utf8'));
  } catch (err) {
    throw new FuncError(`error parsing private key: ${(err as Error).message}`);
  }
  return new SprigCertificate(cert.toString('utf8'), key.toString('utf8'));
}

const fn = (
  params: readonly ParamType[],
  call: (args: readonly unknown[], ctx: FuncContext) => unknown,
): GoFunc => ({
  params,
  variadic: undefined,
  call,
});
const s = (v: unknown): string => v as string;
const n = (v: unknown): number => v as number;

/** sprig's certificate functions. */
export const SPRIG_CERTS: Readonly<Record<string, GoFunc>> = {
  buildCustomCert: def(['string', 'string'], buildCustom),
  genCA: fn(['string', 'int'], ([cn, days], ctx) => caCertificate(s(cn), n(days), rsaKey(), ctx.now())),
  genCAWithKey: fn(['string', 'int', 'string'], ([cn, days, pem], ctx) =>
    caCertificate(s(cn), n(days), withPemKey(s(pem)), ctx.now()),
  ),
  genSelfSignedCert: fn(['string', 'any', 'any', 'int'], ([cn, ips, dns, days], ctx) =>
    selfSigned(s(cn), ips, dns, n(days), rsaKey(), ctx.now()),
  ),
  genSelfSignedCertWithKey: fn(['string', 'any', 'any', 'int', 'string'], ([cn, ips, dns, days, pem], ctx) =>
    selfSigned(s(cn), ips, dns, n(days), withPemKey(s(pem)), ctx.now()),
  ),
  genSignedCert: fn(['string', 'any', 'any', 'int', 'any'], ([cn, ips, dns, days, ca], ctx) =>
    signed(s(cn), ips, dns, n(days), ca, rsaKey, ctx.now()),
  ),
  genSignedCertWithKey: fn(
    ['string', 'any', 'any', 'int', 'any', 'string'],
    ([cn, ips, dns, days, ca, pem], ctx) =>
      signed(s(cn), ips, dns, n(days), ca, () => withPemKey(s(pem)), ctx.now()),
  ),
};
