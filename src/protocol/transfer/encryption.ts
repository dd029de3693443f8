/**
 * Snowflake client-side encryption (PROTOCOL.md §9.4), the same recipe as the official drivers:
 *
 * - per file, a random key as long as the decoded `queryStageMasterKey` (16 or 32 bytes) and a
 *   random 16-byte IV;
 * - content: AES-CBC with PKCS#7 padding under the file key;
 * - the file key itself: AES-ECB with PKCS#7 under the master key (a 16-byte key wraps to 32 bytes);
 * - `matdesc`: `{"smkId":"…","queryId":"…","keySize":"<bits>"}` (the Node driver's key order).
 *
 * Encryption and decryption are incremental (`update` per chunk, `final` at the end) so files
 * stream through them. Web Crypto has no ECB and no streaming CBC, hence `node:crypto`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import * as Redacted from "effect/Redacted"
import type { EncryptionMaterial } from "./stageInfo.js"

/** What is stored next to an encrypted object so the key and IV can be recovered. */
export interface EncryptionEnvelope {
  /** base64 of the file key wrapped with the master key. */
  readonly wrappedKey: string
  /** base64 of the 16-byte IV. */
  readonly iv: string
  /** The material description JSON. */
  readonly matdesc: string
}

/** A running cipher: feed chunks, then `final` once. */
export interface Cipher {
  readonly update: (chunk: Uint8Array) => Uint8Array
  /** Flushes the last block (encrypt: padding; decrypt: checks and strips it, throwing if invalid). */
  readonly final: () => Uint8Array
}

const cbc = (key: Uint8Array) => `aes-${key.length * 8}-cbc`
const ecb = (key: Uint8Array) => `aes-${key.length * 8}-ecb`

const checkKey = (key: Uint8Array, what: string): void => {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new RangeError(`${what} must be 16, 24 or 32 bytes, got ${key.length}`)
  }
}

/** Decodes the base64 master key (kept redacted until here). */
export const masterKeyBytes = (material: EncryptionMaterial): Uint8Array => {
  const key = new Uint8Array(Buffer.from(Redacted.value(material.queryStageMasterKey), "base64"))
  checkKey(key, "The stage master key")
  return key
}

/** Wraps a file key with the master key: AES-ECB + PKCS#7. */
export const wrapKey = (masterKey: Uint8Array, fileKey: Uint8Array): Uint8Array => {
  const cipher = createCipheriv(ecb(masterKey), masterKey, null)
  return new Uint8Array(Buffer.concat([cipher.update(fileKey), cipher.final()]))
}

/** Unwraps a file key; throws when the padding is wrong (typically: not the right master key). */
export const unwrapKey = (masterKey: Uint8Array, wrapped: Uint8Array): Uint8Array => {
  const decipher = createDecipheriv(ecb(masterKey), masterKey, null)
  return new Uint8Array(Buffer.concat([decipher.update(wrapped), decipher.final()]))
}

/** The material description stored with each object (`keySize` in bits, as a string). */
export const matdesc = (material: EncryptionMaterial, keyBytes: number): string =>
  JSON.stringify({ smkId: material.smkId, queryId: material.queryId, keySize: String(keyBytes * 8) })

/** A plain Uint8Array over the Buffer's own bytes: `new Uint8Array(buffer)` would copy them. */
const view = (buffer: Buffer): Uint8Array =>
  new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)

const wrapCipher = (cipher: { update: (data: Uint8Array) => Buffer; final: () => Buffer }): Cipher => ({
  update: (chunk) => view(cipher.update(chunk)),
  final: () => view(cipher.final())
})

/** A content cipher (AES-CBC + PKCS#7). */
export const contentEncryptor = (fileKey: Uint8Array, iv: Uint8Array): Cipher =>
  wrapCipher(createCipheriv(cbc(fileKey), fileKey, iv))

export const contentDecryptor = (fileKey: Uint8Array, iv: Uint8Array): Cipher =>
  wrapCipher(createDecipheriv(cbc(fileKey), fileKey, iv))

/** Everything needed to encrypt one file: a fresh key and IV, and the envelope to store. */
export interface FileEncryption {
  readonly envelope: EncryptionEnvelope
  readonly encryptor: () => Cipher
}

/** Draws a fresh file key and IV for one file (random, so this is not referentially transparent). */
export const forNewFile = (material: EncryptionMaterial): FileEncryption => {
  const master = masterKeyBytes(material)
  const fileKey = new Uint8Array(randomBytes(master.length))
  const iv = new Uint8Array(randomBytes(16))
  return {
    envelope: {
      wrappedKey: Buffer.from(wrapKey(master, fileKey)).toString("base64"),
      iv: Buffer.from(iv).toString("base64"),
      matdesc: matdesc(material, fileKey.length)
    },
    encryptor: () => contentEncryptor(fileKey, iv)
  }
}

/** The content decryptor for a stored object; throws if the key cannot be unwrapped. */
export const decryptorFor = (material: EncryptionMaterial, envelope: EncryptionEnvelope): Cipher => {
  const master = masterKeyBytes(material)
  const fileKey = unwrapKey(master, new Uint8Array(Buffer.from(envelope.wrappedKey, "base64")))
  const iv = new Uint8Array(Buffer.from(envelope.iv, "base64"))
  if (iv.length !== 16) throw new RangeError(`The stored IV must be 16 bytes, got ${iv.length}`)
  return contentDecryptor(fileKey, iv)
}
