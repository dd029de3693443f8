/**
 * Snowflake client-side encryption as the emulator reads it back (§9.4): the file key is wrapped
 * with the stage master key (AES-ECB, PKCS#7), the content is AES-CBC (PKCS#7) with a random IV.
 * Where the wrapped key and IV are depends on the cloud: `encryptiondata` JSON (GCS, Azure) or
 * `x-amz-key` / `x-amz-iv` (S3).
 */
import { createDecipheriv } from "node:crypto"

export interface WrappedKey {
  readonly key: Buffer
  readonly iv: Buffer
}

/** The wrapped file key and IV in an object's metadata, if it is encrypted. */
export const wrappedKeyOf = (metadata: Readonly<Record<string, string>>): WrappedKey | undefined => {
  const data = metadata.encryptiondata
  if (data !== undefined) {
    const parsed = JSON.parse(data) as {
      WrappedContentKey?: { EncryptedKey?: string }
      ContentEncryptionIV?: string
    }
    const key = parsed.WrappedContentKey?.EncryptedKey
    const iv = parsed.ContentEncryptionIV
    if (key !== undefined && iv !== undefined)
      return { key: Buffer.from(key, "base64"), iv: Buffer.from(iv, "base64") }
  }
  const key = metadata["x-amz-key"]
  const iv = metadata["x-amz-iv"]
  if (key !== undefined && iv !== undefined)
    return { key: Buffer.from(key, "base64"), iv: Buffer.from(iv, "base64") }
  return undefined
}

const aes = (mode: "ecb" | "cbc", key: Buffer) => `aes-${key.length * 8}-${mode}`

/** Decrypts an object body with the stage master key; bodies without encryption metadata pass through. */
export const decryptObject = (
  body: Buffer,
  metadata: Readonly<Record<string, string>>,
  masterKey: Buffer
): Buffer => {
  const wrapped = wrappedKeyOf(metadata)
  if (wrapped === undefined) return body
  const unwrap = createDecipheriv(aes("ecb", masterKey), masterKey, null)
  const fileKey = Buffer.concat([unwrap.update(wrapped.key), unwrap.final()])
  const decipher = createDecipheriv(aes("cbc", fileKey), fileKey, wrapped.iv)
  return Buffer.concat([decipher.update(body), decipher.final()])
}
