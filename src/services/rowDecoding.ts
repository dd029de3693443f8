/**
 * The client's half of a result: raw batches (what `Statements` answers with, live or replayed)
 * to rows of the shape the caller asked for — objects or arrays, decode options, a row Schema.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { RowDecodeError, type SnowflakeError } from "../errors/index.js"
import {
  type Column,
  compileRowDecoder,
  type DecodeOptions,
  type RowDecoder
} from "../protocol/decode/index.js"
import type * as RowBatch from "../protocol/decode/RowBatch.js"
import { asRowDecodeError } from "../protocol/decode/RowDecoder.js"
import type { RowTypeEntry } from "../protocol/wire/query.js"
import type { QueryStats, RawResult } from "../streams/answerRows.js"

export type RowMode = "object" | "array"

export interface QueryResult<Row> {
  readonly queryId: string
  readonly columns: ReadonlyArray<Column>
  readonly rows: ReadonlyArray<Row>
  readonly rowCount: number
  readonly stats: QueryStats | undefined
  /** `statementTypeId` (PROTOCOL.md §5.6): 4096 SELECT, 0x3100 INSERT, ≥ 0x6000 DDL, … */
  readonly statementType: number | undefined
}

export interface RowOptions {
  readonly rowMode?: RowMode | undefined
  readonly decode?: DecodeOptions | undefined
  readonly schema?: Schema.Schema<unknown, unknown> | undefined
}

/**
 * Converts a batch of raw rows to the requested shape in one step (no Effect per row: this is the
 * hot path). With a `schema`, the batch is decoded as one array; the first bad row fails the batch
 * with a RowDecodeError that says where.
 */
const makeRowsConverter = (
  decoder: RowDecoder,
  options: RowOptions
): ((batch: RowBatch.RowBatch) => Effect.Effect<ReadonlyArray<unknown>, RowDecodeError>) => {
  const { schema } = options
  const shape = schema !== undefined || options.rowMode !== "array" ? "object" : "array"
  const convert = (batch: RowBatch.RowBatch) =>
    Effect.try({ try: () => decoder.decodeBatch(batch, shape), catch: asRowDecodeError })
  if (schema === undefined) return convert
  const decodeAll = Schema.decodeUnknown(Schema.Array(schema))
  return (batch) =>
    Effect.flatMap(convert(batch), (objects) =>
      Effect.mapError(
        decodeAll(objects),
        (error) =>
          new RowDecodeError({
            message: `A row does not match the schema: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
          })
      )
    )
}

/** Decodes a raw result into rows of the requested shape. */
export const decodeResult = (
  raw: RawResult,
  options: RowOptions
): Effect.Effect<QueryResult<unknown>, RowDecodeError> =>
  Effect.gen(function* () {
    const decoder = compileRowDecoder(raw.rowtype, options.decode ?? {})
    const convert = makeRowsConverter(decoder, options)
    const parts = yield* Effect.forEach(raw.batches, convert)
    const rows = parts.length === 1 ? parts[0]! : parts.flat()
    return {
      queryId: raw.queryId,
      columns: decoder.columns,
      rows,
      rowCount: rows.length,
      stats: raw.stats,
      statementType: raw.statementTypeId
    }
  })

/** Decodes streamed batches as they are pulled (one converter call per batch of rows, not per row). */
export const decodeStream = (
  rowtype: ReadonlyArray<RowTypeEntry>,
  batches: Stream.Stream<RowBatch.RowBatch, SnowflakeError>,
  options: RowOptions
): Stream.Stream<unknown, SnowflakeError> => {
  const convert = makeRowsConverter(compileRowDecoder(rowtype, options.decode ?? {}), options)
  return batches.pipe(
    Stream.mapEffect((batch) => Effect.map(convert(batch), Chunk.unsafeFromArray)),
    Stream.flattenChunks
  )
}
