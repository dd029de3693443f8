/**
 * How the digest and the encryption envelope are stored next to an object, per cloud
 * (PROTOCOL.md §9.4). Pure: each adapter turns `StoredMetadata` into its SDK's metadata map and
 * back.
 *
 * - S3: user metadata `x-amz-key`, `x-amz-iv`, `x-amz-matdesc`, `sfc-digest` (sent as
 *   `x-amz-meta-…`). Reading also accepts `sfc_digest`, where the Node driver's literal key
 *   `SFC_DIGEST` ends up.
 * - Azure: `sfcdigest`, `matdesc`, `encryptiondata` (a JSON document in the Java SDK's shape).
 * - GCS: headers `x-goog-meta-sfc-digest`, `x-goog-meta-matdesc`, `x-goog-meta-encryptiondata`.
 */
import type { EncryptionEnvelope } from "./encryption.js"

export interface StoredMetadata {
  readonly digest?: string | undefined
  readonly encryption?: EncryptionEnvelope | undefined
}

type Metadata = Readonly<Record<string, string>>

const lower = (metadata: Metadata): Record<string, string> =>
  Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key.toLowerCase(), value]))

// ---- S3 -----------------------------------------------------------------------------------

export const toS3 = (stored: StoredMetadata): Record<string, string> => ({
  ...(stored.digest === undefined ? {} : { "sfc-digest": stored.digest }),
  ...(stored.encryption === undefined
    ? {}
    : {
        "x-amz-key": stored.encryption.wrappedKey,
        "x-amz-iv": stored.encryption.iv,
        "x-amz-matdesc": stored.encryption.matdesc
      })
})

export const fromS3 = (metadata: Metadata): StoredMetadata => {
  const m = lower(metadata)
  const key = m["x-amz-key"]
  const iv = m["x-amz-iv"]
  return {
    digest: m["sfc-digest"] ?? m.sfc_digest,
    encryption:
      key !== undefined && iv !== undefined
        ? { wrappedKey: key, iv, matdesc: m["x-amz-matdesc"] ?? "" }
        : undefined
  }
}

// ---- Azure / GCS encryptiondata ----------------------------------------------------------------

/** The `encryptiondata` JSON (Azure's and GCS's), in the Java SDK's shape that the drivers write. */
export const encryptionData = (envelope: EncryptionEnvelope, contentAlgorithm: string): string =>
  JSON.stringify({
    EncryptionMode: "FullBlob",
    WrappedContentKey: { KeyId: "symmKey1", EncryptedKey: envelope.wrappedKey, Algorithm: "AES_CBC_256" },
    EncryptionAgent: { Protocol: "1.0", EncryptionAlgorithm: contentAlgorithm },
    ContentEncryptionIV: envelope.iv,
    KeyWrappingMetadata: { EncryptionLibrary: "Java 5.3.0" }
  })

const parseEncryptionData = (
  json: string | undefined,
  matdesc: string | undefined
): EncryptionEnvelope | undefined => {
  if (json === undefined) return undefined
  try {
    const data = JSON.parse(json) as {
      WrappedContentKey?: { EncryptedKey?: unknown }
      ContentEncryptionIV?: unknown
    }
    const key = data.WrappedContentKey?.EncryptedKey
    const iv = data.ContentEncryptionIV
    return typeof key === "string" && typeof iv === "string"
      ? { wrappedKey: key, iv, matdesc: matdesc ?? "" }
      : undefined
  } catch {
    return undefined
  }
}

// ---- Azure ----------------------------------------------------------------------------------

export const toAzure = (stored: StoredMetadata): Record<string, string> => ({
  ...(stored.digest === undefined ? {} : { sfcdigest: stored.digest }),
  ...(stored.encryption === undefined
    ? {}
    : {
        encryptiondata: encryptionData(stored.encryption, "AES_CBC_128"),
        matdesc: stored.encryption.matdesc
      })
})

export const fromAzure = (metadata: Metadata): StoredMetadata => {
  const m = lower(metadata)
  return { digest: m.sfcdigest, encryption: parseEncryptionData(m.encryptiondata, m.matdesc) }
}

// ---- GCS (HTTP headers) -------------------------------------------------------------------------

export const toGcsHeaders = (stored: StoredMetadata): Record<string, string> => ({
  ...(stored.digest === undefined ? {} : { "x-goog-meta-sfc-digest": stored.digest }),
  ...(stored.encryption === undefined
    ? {}
    : {
        "x-goog-meta-encryptiondata": encryptionData(stored.encryption, "AES_CBC_256"),
        "x-goog-meta-matdesc": stored.encryption.matdesc
      })
})

export const fromGcsHeaders = (headers: Metadata): StoredMetadata => {
  const h = lower(headers)
  return {
    digest: h["x-goog-meta-sfc-digest"],
    encryption: parseEncryptionData(h["x-goog-meta-encryptiondata"], h["x-goog-meta-matdesc"])
  }
}
