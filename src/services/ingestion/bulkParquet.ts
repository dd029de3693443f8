/**
 * The Parquet body of `bulkInsert(…, { format: "parquet" })`.
 *
 * Parquet is typed, so the writer needs a type per column before the first row group. They come
 * from the **target table**, not from the records: `SELECT * FROM <table> LIMIT 0` is
 * answered with the table's rowtype (type, precision, scale), which is exactly what
 * `Export.parquet` plans its columns from. Guessing from records would break on a first value of
 * `null`, on integers bound for NUMBER(38,2), or on numbers that should be text. The one
 * concession to the records: a DATE/TIME/TIMESTAMP column whose first value is a string is
 * written as text, for COPY INTO to cast (the writer otherwise wants Date / DateTime values).
 *
 * The Parquet column names are the table's (upper-case for unquoted names, bulkColumns.ts); COPY
 * matches them with MATCH_BY_COLUMN_NAME = CASE_SENSITIVE.
 */
import type * as Stream from "effect/Stream"
import type { SnowflakeError } from "../../errors/index.js"
import type { Column } from "../../protocol/decode/index.js"
import { parquetFiles } from "../../streams/export/parquet.js"

const TEMPORAL = new Set(["date", "time", "timestamp_ntz", "timestamp_ltz", "timestamp_tz"])

/**
 * Records (read by the keys `names`, as the CSV body reads them) as Parquet files of about
 * `fileSize` bytes each, one after another, each followed by `FILE_END` (bulkFiles.ts cuts there);
 * one column per name, typed by `types` (same order).
 *
 * Files are written for loading, not for keeping: no min/max statistics (COPY reads every row), and
 * NUMBER(p > 18) columns — every NUMBER and INTEGER column Snowflake creates without a precision —
 * go as INT64 while the values allow (a 16-byte decimal costs the writer ~1 µs and two allocations
 * per value: 1M rows × 2 such columns took 11.4 s, 8.7 s as INT64); a value beyond 18 digits
 * starts a new file with the declared type. COPY casts either to the column.
 */
export const parquetBody = <E>(
  records: Stream.Stream<Readonly<Record<string, unknown>>, E>,
  first: Readonly<Record<string, unknown>>,
  names: ReadonlyArray<string>,
  types: ReadonlyArray<Column>,
  fileSize: number
): Stream.Stream<Uint8Array, E | SnowflakeError> => {
  const columns = types.map((column, i): Column => {
    const sample = first[names[i]!]
    return TEMPORAL.has(column.type) && typeof sample === "string"
      ? { ...column, type: "text", precision: null, scale: null }
      : column
  })
  return parquetFiles(records, columns, { fileSize, narrowDecimals: true, statistics: false, rowKeys: names })
}
