/** A minimal ASN.1 DER writer and reader for the keys and certificates sprig's crypto functions build. */

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function derTlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

export const derSequence = (items: readonly Buffer[]): Buffer => derTlv(0x30, Buffer.concat(items));
export const derSet = (items: readonly Buffer[]): Buffer => derTlv(0x31, Buffer.concat(items));
export const derOctets = (b: Buffer): Buffer => derTlv(0x04, b);
export const derBool = (v: boolean): Buffer => derTlv(0x01, Buffer.from([v ? 0xff : 0]));
export const derNull = (): Buffer => Buffer.from([0x05, 0x00]);

/** A BIT STRING of whole bytes (no unused bits) or with `unused` trailing bits. */
export const derBitString = (b: Buffer, unused = 0): Buffer =>
  derTlv(0x03, Buffer.concat([Buffer.from([unused]), b]));

export function derInt(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return derTlv(0x02, b);
}

export function derOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const out = [(parts[0] ?? 0) * 40 + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const bytes = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift(0x80 | (v & 0x7f));
    out.push(...bytes);
  }
  return derTlv(0x06, Buffer.from(out));
}

/** One decoded element: its tag, its contents, and its full encoding. */
export interface DerElement {
  readonly tag: number;
  readonly content: Buffer;
  readonly raw: Buffer;
}

/** The elements encoded one after another in `buf`; throws on truncated input. */
export function derChildren(buf: Buffer): DerElement[] {
  const out: DerElement[] = [];
  let i = 0;
  while (i < buf.length) {
    const tag = buf[i] ?? 0;
    let len = buf[i + 1] ?? 0;
    let off = i + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n > 4) throw new Error('asn1: length too long');
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + (buf[off + k] ?? 0);
      off += n;
    }
    if (off + len > buf.length) throw new Error('asn1: syntax error: data truncated');
    out.push({ tag, content: buf.subarray(off, off + len), raw: buf.subarray(i, off + len) });
    i = off + len;
  }
  return out;
}

export function pemEncode(type: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

/** Go's pem.Decode: the first well-formed block, or undefined. */
export function pemDecode(text: string): { readonly type: string; readonly der: Buffer } | undefined {
  const m = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const body = (m[2] ?? '').replace(/^[A-Za-z-]+:.*\r?\n/gm, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return undefined;
  return { type: m[1] ?? '', der: Buffer.from(body, 'base64') };
}
