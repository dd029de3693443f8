/**
 * `sfc-digest`: base64 SHA-256 of a file as stored, after compression and before encryption
 * (PROTOCOL.md §9.4). Incremental, so a file is hashed while it streams.
 */
import { createHash } from "node:crypto"

export interface Digest {
  readonly update: (chunk: Uint8Array) => void
  /** The base64 digest; call once, at the end. */
  readonly digest: () => string
}

export const sha256 = (): Digest => {
  const hash = createHash("sha256")
  return {
    update: (chunk) => {
      hash.update(chunk)
    },
    digest: () => hash.digest("base64")
  }
}
