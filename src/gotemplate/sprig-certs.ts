import { createPrivateKey, generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { derChildren, derOid, pemDecode, pemEncode } from './der.js';
import { FuncError } from './errors.js';
import { formatValue } from './format-value.js';
import { def, type FuncContext, type GoFunc, type ParamType } from './functions.js';
import type { GoTime } from './go-time.js';
import { privateKeyPem } from './sprig-crypto.js';
import { goTypeOf } from './sprig-reflect.js';
import { typeName } from './values.js';
import { createCertificate, type Parent } from './x509.js';

/**
 * sprig's certificate functions: X.509 v3 certificates built the way Go's x509.CreateCertificate
 * builds sprig's templates (key usages, extended key usages, basic constraints, key identifiers,
 * subject alternative names), signed with node:crypto. Times come from the template clock.
 */

/** sprig's `certificate` struct: PEM certificate and PEM private key. */
export class SprigCertificate {
  get goType(): string {
    return 'sprig.certificate';
  }

  constructor(
    readonly Cert: string,
    readonly Key: string,
  ) {}
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
