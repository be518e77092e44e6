import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** Keys as KeyObjects, made once per key (an HMAC with a KeyObject does not import the key again per call). */
const keyObjects = new Map<string, KeyObject>();

function keyObject(key: string | Buffer): KeyObject {
  const k = typeof key === 'string' ? key : key.toString('latin1');
  let o = keyObjects.get(k);
  if (!o) {
    if (keyObjects.size >= 16) keyObjects.clear();
    o = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
    keyObjects.set(k, o);
  }
  return o;
}

/** Hex HMAC of `text` (`sha256` or `sha512`). */
export function hmacHex(algorithm: 'sha256' | 'sha512', key: string | Buffer, text: string): string {
  return createHmac(algorithm, keyObject(key)).update(text).digest('hex');
}

/** Hex digest of `text` (`md5`, `sha1`, `sha3-256`). */
export function digestHex(algorithm: 'md5' | 'sha1' | 'sha3-256', text: string): string {
  return createHash(algorithm).update(text).digest('hex');
}

/**
 * A short, stable id for a key (first 8 hex digits of its SHA-256), used when no key id is
 * given so hashed values still name the key that made them and keys can rotate.
 */
export function keyFingerprint(key: string | Buffer): string {
  return `k${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}
