/**
 * The envelope every Snowflake "GS" JSON response uses (PROTOCOL.md §1.2):
 * `{ data, code, message, success, headers }`, normally with HTTP 200 even for failures.
 *
 * Also `parseJson`, the lossless JSON reader for GS responses: integers outside the safe range
 * (|n| > 2^53 − 1) are read as strings instead of being rounded. PROTOCOL.md §9.2 shows why:
 * `encryptionMaterial.smkId` can exceed 2^53 and must be sent back exactly. The Node driver
 * regex-rewrites only `smkId`; we rewrite every unsafe integer literal, wherever it appears, so
 * schemas for fields that may carry one (smkId) accept `string | number`. Safe integers and all
 * non-integer numbers are left to `JSON.parse`, so ordinary fields keep their number type.
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { ServerFailure } from "../../errors/mapping.js"

export const Envelope = Schema.Struct({
  data: Schema.optionalWith(Schema.Unknown, { default: () => null }),
  code: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  message: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  success: Schema.Boolean
})
export type Envelope = typeof Envelope.Type

const decodeEnvelopeEither = Schema.decodeUnknownEither(Envelope)

/** Decodes the envelope of an already-parsed response body; the message is a readable parse error. */
export const decodeEnvelope = (json: unknown): Either.Either<Envelope, string> =>
  Either.mapLeft(decodeEnvelopeEither(json), (error) => ParseResult.TreeFormatter.formatErrorSync(error))

// A string literal (skipped whole, so digits inside strings are never touched) or an integer
// literal of 16+ digits that is not part of a fraction or exponent.
const bigIntegerOrString = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g
const sixteenDigits = /\d{16}/

/**
 * `JSON.parse` that keeps unsafe integers exact by reading them as strings (see the module note).
 * Throws a SyntaxError on malformed JSON, like `JSON.parse`.
 */
export const parseJson = (text: string): unknown => {
  // Fast path: without a run of 16 digits there is no integer beyond 2^53.
  if (!sixteenDigits.test(text)) return JSON.parse(text)
  const rewritten = text.replace(bigIntegerOrString, (match) =>
    match.charCodeAt(0) === 34 || Number.isSafeInteger(Number(match)) ? match : `"${match}"`
  )
  return JSON.parse(rewritten)
}

const ErrorData = Schema.Struct({
  errorCode: Schema.optional(Schema.NullOr(Schema.String)),
  sqlState: Schema.optional(Schema.NullOr(Schema.String)),
  queryId: Schema.optional(Schema.NullOr(Schema.String))
})
const decodeErrorData = Schema.decodeUnknownOption(ErrorData)

/**
 * What a `success:false` envelope says, ready for `fromServerFailure`. The code comes from the
 * top level, or from `data.errorCode` when the top level is empty (the 000605 abort answer has
 * `code:""`); `sqlState` and `queryId` come from `data`, where the server puts them.
 */
export const toServerFailure = (envelope: Envelope, httpStatus?: number): ServerFailure => {
  const data = decodeErrorData(envelope.data)
  const fromData = data._tag === "Some" ? data.value : {}
  const code = envelope.code || fromData.errorCode || undefined
  return {
    code,
    message: envelope.message,
    sqlState: fromData.sqlState,
    queryId: fromData.queryId,
    ...(httpStatus === undefined ? {} : { httpStatus })
  }
}
