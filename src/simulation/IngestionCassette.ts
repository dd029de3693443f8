/**
 * The cassette's fields for stage and ingestion operations (`Stages.put/get/list/remove`,
 * `Ingestion.copyInto/bulkInsert`). They are recorded as the service's *results* — per-file rows,
 * COPY results, bulk insert reports — not as the statements and object-store transfers below
 * them: those carry short-lived credentials, presigned URLs and random file names that neither can
 * be written to a file nor would match on replay.
 *
 * Every field here is optional in the request and response structs, so version 1 cassettes
 * written before these operations existed still decode unchanged.
 */
import * as Schema from "effect/Schema"

/** A PUT source file: its base name (never a local path) and a SHA-256 of its bytes. */
export const SourceFile = Schema.Struct({ name: Schema.String, sha256: Schema.String })

/** Options that change an ingestion answer (PUT's compression and overwrite, bulkInsert's format, …). */
export const IngestionOptions = Schema.Record({
  key: Schema.String,
  value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean)
})

/** The request fields of the ingestion operations; see IngestionFingerprint.ts for what goes in. */
export const ingestionRequestFields = {
  /** PUT / GET / LIST / REMOVE: the stage reference as SQL (`@name/path`, `@%table`, `@~`). */
  stage: Schema.optional(Schema.String),
  /** GET / LIST / REMOVE: the PATTERN regular expression. */
  pattern: Schema.optional(Schema.String),
  /** PUT: each source's base name and content digest, in upload order. */
  files: Schema.optional(Schema.Array(SourceFile)),
  /** bulkInsert: the target table as the program named it. */
  table: Schema.optional(Schema.String),
  /** bulkInsert: the target columns, when the program named them. */
  columns: Schema.optional(Schema.Array(Schema.String)),
  /** bulkInsert: how many records were sent, and a SHA-256 of their serialized form. */
  records: Schema.optional(Schema.Number),
  digest: Schema.optional(Schema.String),
  options: Schema.optional(IngestionOptions)
}

const optionalText = Schema.optional(Schema.String)

export const RecordedUpload = Schema.Struct({
  source: Schema.String,
  target: Schema.String,
  sourceSize: Schema.Number,
  targetSize: Schema.Number,
  sourceCompression: Schema.NullOr(Schema.String),
  targetCompression: Schema.NullOr(Schema.String),
  status: Schema.Literal("UPLOADED", "SKIPPED", "ERROR"),
  message: optionalText
})
export type RecordedUpload = typeof RecordedUpload.Type

export const RecordedDownloadRow = Schema.Struct({
  file: Schema.String,
  size: Schema.Number,
  status: Schema.Literal("DOWNLOADED", "ERROR"),
  message: optionalText
})

/** A downloaded file's bytes, base64: replay writes them where GET wrote them. */
export const RecordedFileBytes = Schema.Struct({ name: Schema.String, base64: Schema.String })

/**
 * A GET's rows and the files it wrote. `files` is absent when they were not stored: their total
 * size (`bytes`) was above the cap (IngestionRecorder.ts), or they could not be read back.
 */
export const RecordedDownload = Schema.Struct({
  results: Schema.Array(RecordedDownloadRow),
  files: Schema.optional(Schema.Array(RecordedFileBytes)),
  bytes: Schema.Number
})
export type RecordedDownload = typeof RecordedDownload.Type

export const RecordedStageFile = Schema.Struct({
  name: Schema.String,
  size: Schema.Number,
  md5: optionalText,
  lastModified: optionalText
})

export const RecordedRemoved = Schema.Struct({ name: Schema.String, result: Schema.String })

const RecordedCopyFile = Schema.Struct({
  file: Schema.String,
  status: Schema.String,
  rowsParsed: Schema.Number,
  rowsLoaded: Schema.Number,
  errorsSeen: Schema.Number,
  firstError: optionalText,
  firstErrorLine: Schema.optional(Schema.Number),
  firstErrorCharacter: Schema.optional(Schema.Number),
  firstErrorColumnName: optionalText
})

export const RecordedCopy = Schema.Struct({
  filesProcessed: Schema.Number,
  rowsLoaded: Schema.Number,
  results: Schema.Array(RecordedCopyFile)
})
export type RecordedCopy = typeof RecordedCopy.Type

export const RecordedRejectedRecord = Schema.Struct({
  index: Schema.Number,
  file: Schema.String,
  line: Schema.optional(Schema.Number),
  error: Schema.String,
  code: optionalText,
  columnName: optionalText
})

/** A bulk insert's report: the COPY result plus what was sent and what was rejected. */
export const RecordedBulkInsert = Schema.Struct({
  ...RecordedCopy.fields,
  recordsSent: Schema.Number,
  rejected: Schema.Number,
  /** Absent in cassettes recorded before records were singled out: none then. */
  rejectedRecords: Schema.optional(Schema.Array(RecordedRejectedRecord))
})
export type RecordedBulkInsert = typeof RecordedBulkInsert.Type

/** The response fields of the ingestion operations; one is present per answer (or `error`). */
export const ingestionResponseFields = {
  uploads: Schema.optional(Schema.Array(RecordedUpload)),
  download: Schema.optional(RecordedDownload),
  stageFiles: Schema.optional(Schema.Array(RecordedStageFile)),
  removed: Schema.optional(Schema.Array(RecordedRemoved)),
  copy: Schema.optional(RecordedCopy),
  bulkInsert: Schema.optional(RecordedBulkInsert)
}
