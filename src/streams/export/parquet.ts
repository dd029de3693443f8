/**
 * Rows to a Parquet file, streaming: rows are gathered into row groups of `rowGroupSize`, each
 * group is encoded and emitted as soon as it is full, and the footer comes last. Memory holds one
 * row group, not the file. Column types come from the rowtype (parquetColumns.ts).
 *
 * The writer is `hyparquet-writer`, an optional peer dependency: pure JavaScript, no native code,
 * nothing downloaded at install time, one dependency (its reader, `hyparquet`), and Snappy built in.
 * It is loaded on first use; without it the stream fails with `ExportError` naming the package.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { type Column, uniqueKeys } from "../../protocol/decode/index.js"
import { ExportError } from "./ExportError.js"
import { type ColumnPlan, planColumn, type TimestampUnit } from "./parquetColumns.js"

export interface ParquetOptions {
  /** Rows per row group (default 65 536). */
  readonly rowGroupSize?: number | undefined
  /** Page compression (default SNAPPY). */
  readonly compression?: "SNAPPY" | "UNCOMPRESSED" | undefined
  /** Time unit of TIME and TIMESTAMP columns (default by the column's scale: > 6 digits → nanos). */
  readonly timestampUnit?: TimestampUnit | undefined
}

export const PARQUET_PACKAGE = "hyparquet-writer"

type Library = typeof import("hyparquet-writer")

const loadLibrary: Effect.Effect<Library, ExportError> = Effect.tryPromise({
  // The module system caches the import; a failed one is retried on the next export.
  try: () => import("hyparquet-writer"),
  catch: (cause) =>
    new ExportError({
      message: `Export.parquet needs the optional package "${PARQUET_PACKAGE}": npm install ${PARQUET_PACKAGE}@^0.17.0`,
      cause
    })
})

const writeFailed = (cause: unknown): ExportError =>
  new ExportError({
    message: `Writing Parquet failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause
  })

/**
 * Parquet bytes of `rows`. `columns` are the result's columns (`RowDecoder.columns`); object rows
 * are read by their decoder keys (duplicate names get `_2`, … as in the decoder, and those keys are
 * also the Parquet column names), array rows by position.
 */
export const parquet = <Row, E, R>(
  rows: Stream.Stream<Row, E, R>,
  columns: ReadonlyArray<Column>,
  options: ParquetOptions = {}
): Stream.Stream<Uint8Array, E | ExportError, R> =>
  Stream.unwrap(
    Effect.map(loadLibrary, (lib) =>
      Stream.suspend(() => {
        const keys = uniqueKeys(columns.map((column) => column.name))
        const plans: ReadonlyArray<ColumnPlan> = columns.map((column, i) =>
          planColumn(column, keys[i]!, options.timestampUnit)
        )
        const rowGroupSize = Math.max(1, Math.floor(options.rowGroupSize ?? 65_536))
        const writer = new lib.ByteWriter()
        const file = new lib.ParquetWriter({
          writer,
          schema: [{ name: "root", num_children: plans.length }, ...plans.map((plan) => plan.element)],
          codec: options.compression ?? "SNAPPY"
        })
        const width = plans.length
        let group: Array<Array<unknown>> = plans.map(() => [])
        let count = 0

        // Bytes written since the last call; the writer keeps counting file offsets across resets.
        const drain = (): Uint8Array => {
          const bytes = writer.getBytes().slice()
          writer.index = 0
          return bytes
        }

        const writeGroup = (): void => {
          if (count === 0) return
          file.write({
            columnData: plans.map((plan, i) => ({ name: plan.element.name, data: group[i]! })),
            rowGroupSize: count
          })
          group = plans.map(() => [])
          count = 0
        }

        const add = (row: Row): void => {
          const isArray = Array.isArray(row)
          for (let i = 0; i < width; i++) {
            const value = isArray
              ? (row as ReadonlyArray<unknown>)[i]
              : (row as Record<string, unknown>)[keys[i]!]
            group[i]!.push(value === null || value === undefined ? null : plans[i]!.convert(value))
          }
          count++
        }

        const encodeChunk = (chunk: Chunk.Chunk<Row>) =>
          Effect.try({
            try: () => {
              const out: Array<Uint8Array> = []
              for (const row of chunk) {
                add(row)
                if (count >= rowGroupSize) {
                  writeGroup()
                  out.push(drain())
                }
              }
              return Chunk.unsafeFromArray(out)
            },
            catch: writeFailed
          })

        const footer = Effect.try({
          try: () => {
            writeGroup()
            file.finish()
            return drain()
          },
          catch: writeFailed
        })

        return Stream.concat(Stream.mapChunksEffect(rows, encodeChunk), Stream.fromEffect(footer))
      })
    )
  ).pipe(Stream.withSpan("snowflake.export.parquet", { attributes: { columns: columns.length } }))
