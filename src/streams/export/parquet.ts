/**
 * Rows to a Parquet file, streaming: rows are gathered into row groups of `rowGroupSize`, each
 * group is encoded and emitted as soon as it is full, and the footer comes last. Memory holds one
 * row group, not the file. Column types come from the rowtype (parquetColumns.ts). `parquetFiles`
 * writes the same rows as several whole files in one stream (bulkInsert's Parquet body).
 *
 * The writer is `hyparquet-writer`, an optional peer dependency: pure JavaScript, no native code,
 * nothing downloaded at install time, one dependency (its reader, `hyparquet`), and Snappy built in.
 * It is loaded on first use; without it the stream fails with `ExportError` naming the package.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { SchemaElement } from "hyparquet-writer"
import { type Column, uniqueKeys } from "../../protocol/decode/index.js"
import { ExportError } from "./ExportError.js"
import { FILE_END } from "./fileEnd.js"
import { type ColumnPlan, planColumn, type TimestampUnit } from "./parquetColumns.js"
import { holding } from "./recordCount.js"

export interface ParquetOptions {
  /** Rows per row group (default 65 536). */
  readonly rowGroupSize?: number | undefined
  /** Page compression (default SNAPPY). */
  readonly compression?: "SNAPPY" | "UNCOMPRESSED" | undefined
  /** Time unit of TIME and TIMESTAMP columns (default by the column's scale: > 6 digits → nanos). */
  readonly timestampUnit?: TimestampUnit | undefined
  /** Min/max statistics per column chunk (default true: readers prune row groups with them). */
  readonly statistics?: boolean | undefined
}

/** How `parquetFiles` cuts and types its files. */
export interface ParquetFilesOptions extends ParquetOptions {
  /** A file ends after the row group that takes it to this many bytes. */
  readonly fileSize: number
  /**
   * NUMBER(p > 18) columns as INT64 in every file whose values allow it (`ColumnPlan.narrow`); a
   * row group with a value that does not fit starts a new file with the column's declared type.
   */
  readonly narrowDecimals: boolean
  /** Object rows are read by these keys (one per column, same order) instead of the column names. */
  readonly rowKeys?: ReadonlyArray<string> | undefined
}

export const PARQUET_PACKAGE = "hyparquet-writer"

type Library = typeof import("hyparquet-writer")
type ByteWriter = InstanceType<Library["ByteWriter"]>
type ParquetWriter = InstanceType<Library["ParquetWriter"]>

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
  encode(rows, columns, { ...options, fileSize: Number.POSITIVE_INFINITY, narrowDecimals: false }, false)

/**
 * Rows as several Parquet files, one after the other in one stream, each complete (magic, row
 * groups, footer) and followed by `FILE_END`: a file ends at the first row group boundary past
 * `fileSize` bytes, and — with `narrowDecimals` — where a row group needs a wider column type than
 * the file was started with. Each file's schema is chosen when its first row group is written.
 */
export const parquetFiles = <Row, E, R>(
  rows: Stream.Stream<Row, E, R>,
  columns: ReadonlyArray<Column>,
  options: ParquetFilesOptions
): Stream.Stream<Uint8Array, E | ExportError, R> => encode(rows, columns, options, true)

const encode = <Row, E, R>(
  rows: Stream.Stream<Row, E, R>,
  columns: ReadonlyArray<Column>,
  options: ParquetFilesOptions,
  /** Several files, each followed by FILE_END (else one file, and no rows is an empty file). */
  files: boolean
): Stream.Stream<Uint8Array, E | ExportError, R> =>
  Stream.unwrap(
    Effect.map(loadLibrary, (lib) =>
      Stream.suspend(() => {
        const names = uniqueKeys(columns.map((column) => column.name))
        const plans: ReadonlyArray<ColumnPlan> = columns.map((column, i) =>
          planColumn(column, names[i]!, options.timestampUnit)
        )
        const keys = options.rowKeys ?? names
        const rowGroupSize = Math.max(1, Math.floor(options.rowGroupSize ?? 65_536))
        const width = plans.length
        let group: Array<Array<unknown>> = plans.map(() => [])
        let count = 0

        /** The file being written: its writer, its columns' elements, and its size so far. */
        let file:
          | { writer: ByteWriter; parquet: ParquetWriter; elements: Array<SchemaElement>; size: number }
          | undefined

        // Bytes written since the last call; the writer keeps counting file offsets across resets.
        const drain = (writer: ByteWriter): Uint8Array => {
          const bytes = writer.getBytes().slice()
          writer.index = 0
          if (file !== undefined) file.size += bytes.length
          return bytes
        }

        /** Whether every value of column `i` in the group fits the column's narrow type. */
        const narrowFits = (i: number): boolean => {
          const narrow = plans[i]!.narrow!
          for (const value of group[i]!) if (value !== null && !narrow.fits(value)) return false
          return true
        }

        /** The elements a new file starting with the current group takes. */
        const elementsForGroup = (): Array<SchemaElement> =>
          plans.map((plan, i) =>
            options.narrowDecimals && plan.narrow !== undefined && narrowFits(i)
              ? plan.narrow.element
              : plan.element
          )

        /** Whether the open file's narrow columns still hold the current group's values. */
        const groupFitsFile = (elements: ReadonlyArray<SchemaElement>): boolean =>
          plans.every(
            (plan, i) => plan.narrow === undefined || elements[i] !== plan.narrow.element || narrowFits(i)
          )

        const finishFile = (out: Array<Uint8Array>): void => {
          if (file === undefined) return
          file.parquet.finish()
          out.push(drain(file.writer))
          file = undefined
          if (files) out.push(FILE_END)
        }

        const openFile = (): void => {
          const elements = elementsForGroup()
          const writer = new lib.ByteWriter()
          const parquet = new lib.ParquetWriter({
            writer,
            schema: [{ name: "root", num_children: plans.length }, ...elements],
            codec: options.compression ?? "SNAPPY",
            statistics: options.statistics ?? true
          })
          file = { writer, parquet, elements, size: 0 }
        }

        const writeGroup = (out: Array<Uint8Array>): void => {
          if (count === 0) return
          if (file !== undefined && !groupFitsFile(file.elements)) finishFile(out)
          if (file === undefined) openFile()
          const open = file!
          open.parquet.write({
            columnData: plans.map((plan, i) => ({ name: plan.element.name, data: group[i]! })),
            rowGroupSize: count
          })
          group = plans.map(() => [])
          out.push(holding(drain(open.writer), count))
          count = 0
          if (open.size >= options.fileSize) finishFile(out)
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
                if (count >= rowGroupSize) writeGroup(out)
              }
              return Chunk.unsafeFromArray(out)
            },
            catch: writeFailed
          })

        const footer = Effect.try({
          try: () => {
            const out: Array<Uint8Array> = []
            writeGroup(out)
            // no rows at all is still one (empty) file
            if (file === undefined && !files) openFile()
            finishFile(out)
            return Chunk.unsafeFromArray(out)
          },
          catch: writeFailed
        })

        return Stream.concat(
          Stream.mapChunksEffect(rows, encodeChunk),
          Stream.flattenChunks(Stream.fromEffect(footer))
        )
      })
    )
  ).pipe(Stream.withSpan("snowflake.export.parquet", { attributes: { columns: columns.length } }))
