/**
 * Turning a finished query answer into rows: inline rowset plus chunks (downloaded with their
 * headers, concatenated in order), decoded by the rowtype-compiled decoder, optionally typed with a
 * Schema. Pure except for chunk downloads, which go through the Transport.
 */
import * as zlib from "node:zlib"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { ProtocolError, RowDecodeError, type SnowflakeError } from "../errors/index.js"
import {
  type Column,
  compileRowDecoder,
  type DecodeOptions,
  type RowDecoder
} from "../protocol/decode/index.js"
import * as RowBatch from "../protocol/decode/RowBatch.js"
import type { ChunkInfo, QueryResponseData, RowTypeEntry } from "../protocol/wire/query.js"
import * as ResultStream from "../streams/ResultStream.js"
import type { TransportService } from "./Transport.js"

/** A row as the wire carries it: every cell a string or null. */
export type RawRow = ReadonlyArray<string | null>

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

/**
 * The chunk side of an answer for `ResultStream`: inline rows, chunk list, a byte fetcher and, when
 * given, a way to get fresh chunk URLs (GET /queries/{id}/result) after a 403.
 */
export const chunkSource = (
  transport: TransportService,
  data: QueryResponseData,
  refresh?: Effect.Effect<ReadonlyArray<ChunkInfo>, SnowflakeError>
): ResultStream.ChunkSource => {
  const headers = chunkHeaders(data)
  return {
    inline: data.rowset ?? [],
    chunks: data.chunks ?? [],
    fetch: (chunk) => transport.fetchChunk(chunk.url, headers),
    ...(refresh === undefined ? {} : { refresh })
  }
}

/** An answer's rows in undecoded batches, inline first, then each chunk in order (bounded prefetch). */
export const rawBatches = (
  source: ResultStream.ChunkSource
): Stream.Stream<RowBatch.RowBatch, SnowflakeError> => ResultStream.batches({ source, inflate: gunzip })

/**
 * node:zlib inflates result chunks about 1.7× faster than the portable DecompressionStream, and
 * ~4× faster again with 256 KiB output buffers instead of its default 16 KiB: a chunk inflates to
 * megabytes, and every output buffer costs a round trip from the thread pool to the main thread.
 */
const INFLATE_OPTIONS: zlib.ZlibOptions = { chunkSize: 256 * 1024 }

const gunzip = (bytes: Uint8Array): Effect.Effect<Uint8Array, ProtocolError> =>
  Effect.async<Uint8Array, ProtocolError>((resume) =>
    zlib.gunzip(bytes, INFLATE_OPTIONS, (cause, out) =>
      resume(
        cause
          ? Effect.fail(
              new ProtocolError({ message: "A result chunk is not valid gzip (truncated or corrupt)", cause })
            )
          : Effect.succeed(out)
      )
    )
  )

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
export const makeRowsConverter = (
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
 * A finished answer below decoding: exactly what the wire carried (rowtype and the rows, in
 * undecoded batches) plus what was derived from the answer alone. This is what the simulation
 * layer records (as string cells, `cellsOf`) and replays, so the same decoders and options apply
 * to live and replayed results.
 */
export interface RawResult {
  readonly queryId: string
  readonly rowtype: ReadonlyArray<RowTypeEntry>
  readonly batches: ReadonlyArray<RowBatch.RowBatch>
  readonly stats: QueryStats | undefined
  readonly statementTypeId: number | undefined
}

/** Every row of a raw result with string cells. */
export const cellsOf = (raw: RawResult): RowBatch.RawRows => raw.batches.flatMap(RowBatch.toCells)

/** A raw result's batches from rows of string cells. */
export const batchesOf = (rows: RowBatch.RawRows): ReadonlyArray<RowBatch.RowBatch> =>
  RowBatch.split(RowBatch.cells(rows), ResultStream.EMIT_ROWS)

/** Downloads every row of a finished answer (inline and chunks) into a `RawResult`. */
export const collect = (
  transport: TransportService,
  data: QueryResponseData,
  refresh?: Effect.Effect<ReadonlyArray<ChunkInfo>, SnowflakeError>
): Effect.Effect<RawResult, SnowflakeError> =>
  Effect.map(Stream.runCollect(rawBatches(chunkSource(transport, data, refresh))), (chunk) => {
    const batches = Chunk.toReadonlyArray(chunk)
    const first = batches[0]
    return {
      queryId: data.queryId ?? "",
      rowtype: data.rowtype ?? [],
      batches,
      stats: statsOf(data, first === undefined ? undefined : RowBatch.toCells(RowBatch.sub(first, 0, 1))[0]),
      statementTypeId: data.statementTypeId ?? undefined
    }
  })

/** Decodes a raw result into rows of the requested shape. */
export const decode = (
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

/** The full result of one finished answer. */
export const assemble = (
  transport: TransportService,
  data: QueryResponseData,
  options: RowOptions
): Effect.Effect<QueryResult<unknown>, SnowflakeError> =>
  Effect.flatMap(collect(transport, data), (raw) => decode(raw, options))
