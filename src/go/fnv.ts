const encoder = new TextEncoder();

/** FNV-1a, 32 bit, over the UTF-8 bytes of `text` (Go's `hash/fnv` New32a). */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  // ASCII (object keys, member names) hashes its code units directly: no encoder, no allocation
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return fnv32aBytes(encoder.encode(text));
    hash = Math.imul(hash ^ c, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function fnv32aBytes(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}
