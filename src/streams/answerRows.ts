/**
 * The rows of a finished query answer, below decoding: the inline rowset and the chunks
 * (downloaded with the answer's headers through a given fetch, gunzipped, in order), as undecoded
 * batches (`batches`) or collected into a `RawResult` (`collect`).
 *
 * This is the statement side of a result: `Statements` hands it the answer and the Transport's
 * chunk download; turning batches into rows is the client's (services/rowDecoding.ts).
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import * as RowBatch from "../protocol/decode/RowBatch.js"
import type { ChunkInfo, QueryResponseData, RowTypeEntry } from "../protocol/wire/query.js"
import { gunzip } from "./nodeGunzip.js"
import * as ResultStream from "./ResultStream.js"

/** Downloads one chunk: its absolute URL and the headers the answer asked for. */
export type FetchChunk = (
  url: string,
  headers: Readonly<Record<string, string>>
) => Effect.Effect<Uint8Array, SnowflakeError>

/** DML counts, when the server reported them (or the statement's count columns carry them). */
export interface QueryStats {
  readonly rowsInserted?: number
  readonly rowsUpdated?: number
  readonly rowsDeleted?: number
  readonly duplicates?: number
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
 * An answer's rows in undecoded batches, inline first, then each chunk in order (bounded prefetch).
 * `refresh`, when given, gets fresh chunk URLs (GET /queries/{id}/result) after a 403.
 */
export const batches = (
  data: QueryResponseData,
  fetchChunk: FetchChunk,
  refresh?: Effect.Effect<ReadonlyArray<ChunkInfo>, SnowflakeError>
): Stream.Stream<RowBatch.RowBatch, SnowflakeError> => {
  const headers = chunkHeaders(data)
  const source: ResultStream.ChunkSource = {
    inline: data.rowset ?? [],
    chunks: data.chunks ?? [],
    fetch: (chunk) => fetchChunk(chunk.url, headers),
    ...(refresh === undefined ? {} : { refresh })
  }
  return ResultStream.batches({ source, inflate: gunzip })
}

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

/** Downloads every row of a finished answer (inline and chunks) into a `RawResult`. */
export const collect = (
  data: QueryResponseData,
  fetchChunk: FetchChunk,
  refresh?: Effect.Effect<ReadonlyArray<ChunkInfo>, SnowflakeError>
): Effect.Effect<RawResult, SnowflakeError> =>
  Effect.map(Stream.runCollect(batches(data, fetchChunk, refresh)), (chunk) => {
    const all = Chunk.toReadonlyArray(chunk)
    const first = all[0]
    return {
      queryId: data.queryId ?? "",
      rowtype: data.rowtype ?? [],
      batches: all,
      stats: statsOf(data, first === undefined ? undefined : RowBatch.toCells(RowBatch.sub(first, 0, 1))[0]),
      statementTypeId: data.statementTypeId ?? undefined
    }
  })

/** Every row of a raw result with string cells. */
export const cellsOf = (raw: RawResult): RowBatch.RawRows => raw.batches.flatMap(RowBatch.toCells)

/** A raw result's batches from rows of string cells. */
export const batchesOf = (rows: RowBatch.RawRows): ReadonlyArray<RowBatch.RowBatch> =>
  RowBatch.split(RowBatch.cells(rows), ResultStream.EMIT_ROWS)
