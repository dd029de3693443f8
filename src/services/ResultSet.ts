/**
 * Turning a finished query answer into rows: inline rowset plus chunks (downloaded with their
 * headers, concatenated in order), decoded by the rowtype-compiled decoder, optionally typed with a
 * Schema. Pure except for chunk downloads, which go through the Transport.
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { ProtocolError, RowDecodeError, type SnowflakeError } from "../errors/index.js"
import {
  type Column,
  compileRowDecoder,
  type DecodeOptions,
  type RowDecoder
} from "../protocol/decode/index.js"
import type { ChunkInfo, QueryResponseData, RowTypeEntry } from "../protocol/wire/query.js"
import type { TransportService } from "./Transport.js"

export type RowMode = "object" | "array"

/** DML counts, when the server reported them (or the statement's count columns carry them). */
export interface QueryStats {
  readonly rowsInserted?: number
  readonly rowsUpdated?: number
  readonly rowsDeleted?: number
  readonly duplicates?: number
}

export interface QueryResult<Row> {
  readonly queryId: string
  readonly columns: ReadonlyArray<Column>
  readonly rows: ReadonlyArray<Row>
  readonly rowCount: number
  readonly stats: QueryStats | undefined
  /** `statementTypeId` (PROTOCOL.md §5.6): 4096 SELECT, 0x3100 INSERT, ≥ 0x6000 DDL, … */
  readonly statementType: number | undefined
}

/** Headers for chunk GETs: `chunkHeaders` verbatim when present (even empty), else SSE-C from `qrmk`. */
export const chunkHeaders = (data: QueryResponseData): Record<string, string> => {
  if (data.chunkHeaders) return { ...data.chunkHeaders }
  if (data.qrmk) {
    return {
      "x-amz-server-side-encryption-customer-algorithm": "AES256",
      "x-amz-server-side-encryption-customer-key": data.qrmk
    }
  }
  return {}
}

const Rows = Schema.Array(Schema.Array(Schema.NullOr(Schema.String)))
const decodeRows = Schema.decodeUnknownEither(Rows)

/** A chunk body is rows without the outer brackets (§6); anything else is a protocol error. */
export const parseChunk = (
  text: string,
  chunk: ChunkInfo
): Effect.Effect<ReadonlyArray<ReadonlyArray<string | null>>, ProtocolError> =>
  Effect.try({
    try: () => JSON.parse(`[${text}]`) as unknown,
    catch: () => new ProtocolError({ message: "A result chunk is not valid JSON (truncated or corrupt)" })
  }).pipe(
    Effect.flatMap((json) => {
      const rows = decodeRows(json)
      if (rows._tag === "Left") {
        return Effect.fail(
          new ProtocolError({ message: "A result chunk does not hold rows of string cells" })
        )
      }
      return rows.right.length === chunk.rowCount
        ? Effect.succeed(rows.right)
        : Effect.fail(
            new ProtocolError({
              message: `A result chunk held ${rows.right.length} rows, ${chunk.rowCount} were announced`
            })
          )
    })
  )

/** All raw rows of a result, inline first, then every chunk in order (up to 4 downloads at once). */
export const rawRows = (
  transport: TransportService,
  data: QueryResponseData
): Effect.Effect<ReadonlyArray<ReadonlyArray<string | null>>, SnowflakeError> => {
  const inline = data.rowset ?? []
  const chunks = data.chunks ?? []
  if (chunks.length === 0) return Effect.succeed(inline)
  const headers = chunkHeaders(data)
  return Effect.forEach(
    chunks,
    (chunk) => Effect.flatMap(transport.fetchChunk(chunk.url, headers), (text) => parseChunk(text, chunk)),
    { concurrency: 4 }
  ).pipe(Effect.map((parts) => [...inline, ...parts.flat()]))
}

export interface RowOptions {
  readonly rowMode?: RowMode | undefined
  readonly decode?: DecodeOptions | undefined
  readonly schema?: Schema.Schema<unknown, unknown> | undefined
}

/** Converts raw rows to the requested shape; the first bad row fails with RowDecodeError. */
export const makeRowConverter = (
  decoder: RowDecoder,
  options: RowOptions
): ((cells: ReadonlyArray<string | null>) => Effect.Effect<unknown, RowDecodeError>) => {
  const { schema } = options
  if (schema !== undefined) {
    const decode = Schema.decodeUnknown(schema)
    return (cells) =>
      Effect.try({ try: () => decoder.toObject(cells), catch: asRowDecodeError }).pipe(
        Effect.flatMap((row) =>
          Effect.mapError(
            decode(row),
            (error) =>
              new RowDecodeError({
                message: `A row does not match the schema: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
              })
          )
        )
      )
  }
  const toRow = options.rowMode === "array" ? decoder.toArray : decoder.toObject
  return (cells) => Effect.try({ try: () => toRow(cells), catch: asRowDecodeError })
}

const asRowDecodeError = (cause: unknown): RowDecodeError =>
  cause instanceof RowDecodeError
    ? cause
    : new RowDecodeError({ message: "A row could not be decoded", cause })

const dmlCountColumns: Record<string, keyof QueryStats> = {
  "number of rows inserted": "rowsInserted",
  "number of rows updated": "rowsUpdated",
  "number of rows deleted": "rowsDeleted"
}

const statsOf = (
  data: QueryResponseData,
  firstRow: ReadonlyArray<string | null> | undefined
): QueryStats | undefined => {
  if (data.stats) {
    const s = data.stats
    return {
      ...(s.numRowsInserted != null ? { rowsInserted: s.numRowsInserted } : {}),
      ...(s.numRowsUpdated != null ? { rowsUpdated: s.numRowsUpdated } : {}),
      ...(s.numRowsDeleted != null ? { rowsDeleted: s.numRowsDeleted } : {}),
      ...(s.numDmlDuplicates != null ? { duplicates: s.numDmlDuplicates } : {})
    }
  }
  const type = data.statementTypeId ?? 0
  // DML answers carry their counts as a one-row result whose column names say what they count (§5.7).
  if (type < 0x3000 || type >= 0x4000 || firstRow === undefined) return undefined
  const stats: Record<string, number> = {}
  ;(data.rowtype ?? []).forEach((column, i) => {
    const key = dmlCountColumns[column.name.toLowerCase()]
    const cell = firstRow[i]
    if (key !== undefined && cell != null) stats[key] = Number(cell)
  })
  return Object.keys(stats).length > 0 ? (stats as QueryStats) : undefined
}

/**
 * A finished answer below decoding: exactly what the wire carried (rowtype and string cells) plus
 * what was derived from the answer alone. This is what the simulation layer records and replays,
 * so the same decoders and options apply to live and replayed results.
 */
export interface RawResult {
  readonly queryId: string
  readonly rowtype: ReadonlyArray<RowTypeEntry>
  readonly rows: ReadonlyArray<ReadonlyArray<string | null>>
  readonly stats: QueryStats | undefined
  readonly statementTypeId: number | undefined
}

/** Downloads every row of a finished answer (inline and chunks) into a `RawResult`. */
export const collect = (
  transport: TransportService,
  data: QueryResponseData
): Effect.Effect<RawResult, SnowflakeError> =>
  Effect.map(rawRows(transport, data), (rows) => ({
    queryId: data.queryId ?? "",
    rowtype: data.rowtype ?? [],
    rows,
    stats: statsOf(data, rows[0]),
    statementTypeId: data.statementTypeId ?? undefined
  }))

/** Decodes a raw result into rows of the requested shape. */
export const decode = (
  raw: RawResult,
  options: RowOptions
): Effect.Effect<QueryResult<unknown>, RowDecodeError> =>
  Effect.gen(function* () {
    const decoder = compileRowDecoder(raw.rowtype, options.decode ?? {})
    const convert = makeRowConverter(decoder, options)
    const rows = yield* Effect.forEach(raw.rows, convert)
    return {
      queryId: raw.queryId,
      columns: decoder.columns,
      rows,
      rowCount: rows.length,
      stats: raw.stats,
      statementType: raw.statementTypeId
    }
  })

/** The full result of one finished answer. */
export const assemble = (
  transport: TransportService,
  data: QueryResponseData,
  options: RowOptions
): Effect.Effect<QueryResult<unknown>, SnowflakeError> =>
  Effect.flatMap(collect(transport, data), (raw) => decode(raw, options))
