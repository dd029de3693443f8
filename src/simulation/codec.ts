/**
 * Between the values Statements produce and their cassette form: raw results map one to one;
 * errors lose their `cause` (a defect may hold anything, secrets included) and any URL query
 * string in their message (presigned URLs carry signatures).
 */
import * as Schema from "effect/Schema"
import { SnowflakeError } from "../errors/SnowflakeError.js"
import { batchesOf, cellsOf, type RawResult } from "../streams/answerRows.js"
import type { RecordedResult } from "./Cassette.js"

export const toRecorded = (raw: RawResult): RecordedResult => ({
  queryId: raw.queryId,
  ...(raw.statementTypeId !== undefined ? { statementTypeId: raw.statementTypeId } : {}),
  ...(raw.stats !== undefined ? { stats: raw.stats } : {}),
  rowtype: raw.rowtype,
  rows: cellsOf(raw)
})

export const fromRecorded = (recorded: RecordedResult): RawResult => ({
  queryId: recorded.queryId,
  rowtype: recorded.rowtype,
  batches: batchesOf(recorded.rows),
  stats: recorded.stats,
  statementTypeId: recorded.statementTypeId
})

/** `https://host/path?X-Amz-Signature=…` → `https://host/path?<redacted>`. */
export const scrubUrls = (text: string): string =>
  text.replace(/(https?:\/\/[^\s?"'<>]+)\?[^\s"'<>]*/g, "$1?<redacted>")

const encodeError = Schema.encodeSync(SnowflakeError)
const decodeError = Schema.decodeUnknownSync(SnowflakeError)

/**
 * The same typed error, without its cause and with URLs scrubbed (then `scrub` applied to the
 * message, for local paths): safe to write to a file.
 */
export const toRecordedError = (
  error: SnowflakeError,
  scrub: (message: string) => string = (message) => message
): SnowflakeError => {
  const { cause: _cause, ...fields } = encodeError(error) as {
    readonly cause?: unknown
    readonly message: string
  }
  return decodeError({ ...fields, message: scrub(scrubUrls(fields.message)) })
}
