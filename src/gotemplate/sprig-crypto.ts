import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  scryptSync,
} from 'node:crypto';
import { bcryptPassword } from './blowfish.js';
import { derChildren, derInt, derSequence, pemEncode } from './der.js';
import { FuncError, TemplateLimitError } from './errors.js';
import { def, type GoFunc } from './functions.js';

/** sprig's crypto.go (hashes, AES, derivePassword, keys, random bytes, UUIDs) on node:crypto. */

const hash = (algo: string) => (s: string) => createHash(algo).update(s, 'utf8').digest('hex');

function adler32(s: string): string {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = Buffer.from(plaintext, 'utf8');
  const pad = 16 - (content.length % 16);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv).setAutoPadding(false);
  const body = Buffer.concat([
    cipher.update(Buffer.concat([content, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]);
  return Buffer.concat([iv, body]).toString('base64');
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(crypt64) || crypt64.length % 4 !== 0) {
    throw new FuncError('illegal base64 data at input byte 0');
  }
  const crypt = Buffer.from(crypt64, 'base64');
  if (crypt.length < 16)
    throw new FuncError(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new FuncError('crypto/cipher: input not full blocks');
  if (body.length === 0) throw new FuncError('runtime error: index out of range [-1]');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16)).setAutoPadding(
    false,
  );
  const plain = Buffer.concat([decipher.update(body), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad > plain.length) {
    throw new FuncError(`runtime error: slice bounds out of range [:${plain.length - pad}]`);
  }
  return plain.subarray(0, plain.length - pad).toString('utf8');
}

const MASTER_PASSWORD_SEED = 'com.lyndir.masterpassword';
const PASSWORD_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv',
    'CvcvCvcvnoCvcv',
    'CvcvCvcvCvcvno',
    'CvccnoCvcvCvcv',
    'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno',
    'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno',
    'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc',
    'CvcvCvcvCvccno',
    'CvccnoCvccCvcv',
    'CvccCvccnoCvcv',
    'CvccCvccCvcvno',
    'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc',
    'CvcvCvccCvccno',
    'CvccnoCvcvCvcc',
    'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const TEMPLATE_CHARACTERS: Readonly<Record<string, string>> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** The Master Password algorithm (scrypt N=32768 r=8 p=2, then HMAC-SHA256), as sprig implements it. */
function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = PASSWORD_TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const userBytes = Buffer.from(user, 'utf8');
  const salt = Buffer.concat([Buffer.from(MASTER_PASSWORD_SEED), u32(userBytes.length), userBytes]);
  const key = scryptSync(Buffer.from(password, 'utf8'), salt, 64, {
    N: 32768,
    r: 8,
    p: 2,
    maxmem: 64 * 1024 * 1024,
  });
  const siteBytes = Buffer.from(site, 'utf8');
  const message = Buffer.concat([
    Buffer.from(MASTER_PASSWORD_SEED),
    u32(siteBytes.length),
    siteBytes,
    u32(counter),
  ]);
  const seed = createHmac('sha256', key).update(message).digest();
  const template = templates[(seed[0] ?? 0) % templates.length] ?? '';
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const chars = TEMPLATE_CHARACTERS[template[i] ?? ''] ?? '';
    out += chars[(seed[i + 1] ?? 0) % chars.length] ?? '';
  }
  return out;
}

/** sprig's pemBlockForKey: PKCS#1 for RSA, SEC 1 for EC, sprig's own DSA form, PKCS#8 otherwise. */
export function privateKeyPem(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return key.export({ type: 'pkcs1', format: 'pem' }) as string;
    case 'ec':
      return key.export({ type: 'sec1', format: 'pem' }) as string;
    case 'dsa':
      return dsaPem(key.export({ type: 'pkcs8', format: 'der' }));
    default:
      return key.export({ type: 'pkcs8', format: 'pem' }) as string;
  }
}

/** sprig's genPrivateKey: RSA 4096, DSA L2048N256, ECDSA P-256 or Ed25519, PEM as Go writes them. */
function generatePrivateKey(type: string): string {
  switch (type) {
    case '':
    case 'rsa':
      return privateKeyPem(generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey);
    case 'ecdsa':
      return privateKeyPem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    case 'ed25519':
      return privateKeyPem(generateKeyPairSync('ed25519').privateKey);
    case 'dsa':
      return privateKeyPem(
        generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey,
      );
    default:
      return `Unknown type ${type}`;
  }
}

/** Re-encodes a PKCS#8 DSA key as sprig's `DSA PRIVATE KEY` (SEQUENCE version, P, Q, G, Y, X). */
function dsaPem(pkcs8: Buffer): string {
  const k = dsaKeyParts(pkcs8);
  const body = derSequence([derInt(0n), derInt(k.p), derInt(k.q), derInt(k.g), derInt(k.y), derInt(k.x)]);
  return pemEncode('DSA PRIVATE KEY', body);
}

/** Pulls P, Q, G, X out of a PKCS#8 DSA key and computes Y = G^X mod P. */
function dsaKeyParts(der: Buffer): { p: bigint; q: bigint; g: bigint; y: bigint; x: bigint } {
  const ints: bigint[] = [];
  const walk = (buf: Buffer): void => {
    for (const el of derChildren(buf)) {
      if (el.tag === 0x30 || el.tag === 0x04) walk(el.content);
      else if (el.tag === 0x02) ints.push(BigInt(`0x${el.content.toString('hex') || '0'}`));
    }
  };
  walk(der);
  const [, p = 0n, q = 0n, g = 0n, x = 0n] = ints;
  return { p, q, g, x, y: modPow(g, x, p) };
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

const MAX_RANDOM_BYTES = 1 << 20;

/** sprig's crypto functions (certificates are in sprig-certs.ts). */
export const SPRIG_CRYPTO: Readonly<Record<string, GoFunc>> = {
  sha1sum: def(['string'], hash('sha1')),
  sha256sum: def(['string'], hash('sha256')),
  sha512sum: def(['string'], hash('sha512')),
  adler32sum: def(['string'], adler32),
  encryptAES: def(['string', 'string'], encryptAES),
  decryptAES: def(['string', 'string'], decryptAES),
  derivePassword: def(['int', 'string', 'string', 'string', 'string'], (counter, type, pw, user, site) => {
    if (counter < 0 || counter > 0xffffffff)
      throw new FuncError(`wrong type for value; expected uint32; got int`);
    return derivePassword(counter, type, pw, user, site);
  }),
  genPrivateKey: def(['string'], generatePrivateKey),
  randBytes: def(['int'], (n) => {
    if (n < 0) throw new FuncError('runtime error: makeslice: len out of range');
    if (n > MAX_RANDOM_BYTES) throw new TemplateLimitError(`randBytes exceeds ${MAX_RANDOM_BYTES} bytes`);
    return randomBytes(n).toString('base64');
  }),
  uuidv4: def([], () => randomUUID()),
  bcrypt: def(['string'], bcryptPassword),
  htpasswd: def(['string', 'string'], (user, password) =>
    user.includes(':') ? `invalid username: ${user}` : `${user}:${bcryptPassword(password)}`,
  ),
};
