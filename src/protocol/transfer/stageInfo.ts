/**
 * The transfer instructions a PUT or GET statement is answered with (PROTOCOL.md §9.2): where the
 * stage lives (`stageInfo`), the credentials to reach it, and the client-side encryption material.
 *
 * Credentials and master keys are decoded straight into `Redacted`, so they never show up in logs,
 * spans or error messages; only the storage adapters unwrap them, at the SDK boundary.
 * `smkId` may exceed 2^53 (`parseJson` hands it over as a string) and is always kept as a string.
 */
import * as Schema from "effect/Schema"

const optionalNullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true })

const Secret = optionalNullable(Schema.Redacted(Schema.String))

/** `stageInfo.creds`: whichever of these the stage's cloud uses. */
export const StageCredentials = Schema.Struct({
  AWS_KEY_ID: Secret,
  AWS_SECRET_KEY: Secret,
  AWS_TOKEN: Secret,
  AWS_ID: Secret,
  AWS_KEY: Secret,
  AZURE_SAS_TOKEN: Secret,
  GCS_ACCESS_TOKEN: Secret
})
export type StageCredentials = typeof StageCredentials.Type

export const LocationType = Schema.Literal("S3", "AZURE", "GCS", "LOCAL_FS")
export type LocationType = typeof LocationType.Type

export const StageInfo = Schema.Struct({
  locationType: LocationType,
  /** `bucket/path/` (S3, GCS), `container/path/` (Azure) or a local directory (LOCAL_FS). */
  location: Schema.String,
  path: optionalNullable(Schema.String),
  region: optionalNullable(Schema.String),
  endPoint: optionalNullable(Schema.String),
  storageAccount: optionalNullable(Schema.String),
  isClientSideEncrypted: optionalNullable(Schema.Boolean),
  creds: Schema.optionalWith(StageCredentials, { nullable: true, default: () => ({}) }),
  presignedUrl: optionalNullable(Schema.String),
  useS3RegionalUrl: optionalNullable(Schema.Boolean),
  useRegionalUrl: optionalNullable(Schema.Boolean),
  useVirtualUrl: optionalNullable(Schema.Boolean)
})
export type StageInfo = typeof StageInfo.Type

/** A number or a (big) digit string on the wire, always a string here. */
const SmkId = Schema.transform(Schema.Union(Schema.String, Schema.Number), Schema.String, {
  strict: true,
  decode: (value) => String(value),
  encode: (value) => value
})

export const EncryptionMaterial = Schema.Struct({
  /** Base64 AES key (16 or 32 bytes). */
  queryStageMasterKey: Schema.Redacted(Schema.String),
  queryId: Schema.String,
  smkId: SmkId
})
export type EncryptionMaterial = typeof EncryptionMaterial.Type

/** The `data` of a PUT/GET answer. UPLOAD has one material object, DOWNLOAD an array (one per file). */
export const TransferInstruction = Schema.Struct({
  command: Schema.Literal("UPLOAD", "DOWNLOAD"),
  src_locations: Schema.optionalWith(Schema.Array(Schema.String), { nullable: true, default: () => [] }),
  localLocation: optionalNullable(Schema.String),
  parallel: Schema.optionalWith(Schema.Number, { nullable: true, default: () => 4 }),
  threshold: optionalNullable(Schema.Number),
  autoCompress: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => true }),
  overwrite: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false }),
  sourceCompression: Schema.optionalWith(Schema.String, { nullable: true, default: () => "auto_detect" }),
  queryId: optionalNullable(Schema.String),
  encryptionMaterial: optionalNullable(
    Schema.Union(EncryptionMaterial, Schema.Array(Schema.NullOr(EncryptionMaterial)))
  ),
  stageInfo: StageInfo
})
export type TransferInstruction = typeof TransferInstruction.Type

/** The material for the i-th file of an instruction (UPLOAD: the single object; DOWNLOAD: by index). */
export const materialFor = (
  instruction: TransferInstruction,
  index: number
): EncryptionMaterial | undefined => {
  const material = instruction.encryptionMaterial
  if (material === undefined || material === null) return undefined
  if (Array.isArray(material))
    return (material as ReadonlyArray<EncryptionMaterial | null>)[index] ?? undefined
  return material as EncryptionMaterial
}

/** Splits `stageInfo.location` into bucket (or container) and the key prefix (with trailing `/`). */
export const splitLocation = (location: string): { readonly bucket: string; readonly prefix: string } => {
  const slash = location.indexOf("/")
  if (slash < 0) return { bucket: location, prefix: "" }
  const prefix = location.slice(slash + 1)
  return {
    bucket: location.slice(0, slash),
    prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`
  }
}
