/**
 * Where stage files live. Every backend stores objects under keys relative to its own root
 * (`stages/DB/SCHEMA/NAME/file.csv.gz`), keeps the metadata the drivers attach (encryption
 * material, digest) and tells the drivers how to reach a prefix of it (`stageInfo`, §9.2).
 */
import { createHash } from "node:crypto"
import { Data, type Effect } from "effect"

export type StorageKind = "local" | "s3" | "gcs" | "azure"
export type LocationType = "LOCAL_FS" | "S3" | "GCS" | "AZURE"

export class StorageError extends Data.TaggedError("StorageError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

export interface StoredObject {
  /** Key relative to the storage root. */
  readonly key: string
  readonly size: number
  /** Hex MD5 of the stored bytes (what LIST shows and load history compares). */
  readonly md5: string
  readonly lastModified: Date
}

export interface ObjectData {
  readonly body: Buffer
  /**
   * User metadata without the cloud prefix, lower-cased names: `encryptiondata`, `matdesc`,
   * `sfc-digest` (GCS, Azure) or `x-amz-key`, `x-amz-iv`, `x-amz-matdesc` (S3).
   */
  readonly metadata: Readonly<Record<string, string>>
}

export interface StageStorage {
  readonly kind: StorageKind
  readonly locationType: LocationType
  /** Whether PUT hands out encryption material (never for LOCAL_FS, as the drivers expect). */
  readonly encrypted: boolean
  readonly list: (prefix: string) => Effect.Effect<ReadonlyArray<StoredObject>, StorageError>
  readonly read: (key: string) => Effect.Effect<ObjectData, StorageError>
  readonly write: (key: string, data: ObjectData) => Effect.Effect<void, StorageError>
  readonly remove: (key: string) => Effect.Effect<void, StorageError>
  /** The `stageInfo` of §9.2 for a prefix (ending in `/`). */
  readonly stageInfo: (prefix: string) => Record<string, unknown>
}

export const md5Hex = (body: Buffer): string => createHash("md5").update(body).digest("hex")

/** The `stageInfo` fields every backend sends, with the ones it does not use set to null. */
export const baseStageInfo = (
  locationType: LocationType,
  location: string,
  path: string
): Record<string, unknown> => ({
  locationType,
  location,
  path,
  // Node reads region.toLowerCase() for GCS: it must never be null (§16.10)
  region: "us-east-1",
  storageAccount: null,
  isClientSideEncrypted: locationType !== "LOCAL_FS",
  ciphers: locationType === "LOCAL_FS" ? null : "AES_CBC",
  creds: {},
  presignedUrl: null,
  useS3RegionalUrl: false,
  useRegionalUrl: false,
  useVirtualUrl: false,
  endPoint: null,
  volumeEncryptionMode: null,
  encryptionKmsKeyId: null,
  bucketName: null,
  pathPrefix: null
})
