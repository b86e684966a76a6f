import { createHash, createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto';
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
  pemEncode,
} from './der.js';
import { FuncError } from './errors.js';
import type { GoTime } from './go-time.js';

/**
 * Go's x509.CreateCertificate for the templates sprig builds: X.509 v3 with key usage, extended key
 * usage, basic constraints, a truncated-SHA-256 subject key id for CAs (Go 1.25+), the parent's key id
 * as authority key id, and subject alternative names; signed with node:crypto.
 */

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

export interface Template {
  readonly cn: string;
  readonly ips: readonly Buffer[];
  readonly dns: readonly string[];
  readonly days: number;
  readonly isCA: boolean;
}

export interface Parent {
  readonly subject: Buffer;
  readonly spki: Buffer;
  readonly subjectKeyId: Buffer | undefined;
}

function publicKeyBits(spki: Buffer): Buffer {
  const [, bits] = derChildren(derChildren(spki)[0]?.content ?? Buffer.alloc(0));
  return (bits?.content ?? Buffer.alloc(1)).subarray(1);
}

/** x509.CreateCertificate for sprig's templates; returns the PEM certificate. */
export function createCertificate(
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
