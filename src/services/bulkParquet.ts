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
import * as Stream from "effect/Stream"
import type { SnowflakeError } from "../errors/index.js"
import type { Column } from "../protocol/decode/index.js"
import { parquet } from "../streams/export/parquet.js"

const TEMPORAL = new Set(["date", "time", "timestamp_ntz", "timestamp_ltz", "timestamp_tz"])

const lookup = (record: Readonly<Record<string, unknown>>, name: string): unknown => {
  if (name in record) return record[name]
  const lower = name.toLowerCase()
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : record[key]
}

/** Records as Parquet bytes, one column per name, typed by `types` (same order). */
export const parquetBody = <E>(
  records: Stream.Stream<Readonly<Record<string, unknown>>, E>,
  first: Readonly<Record<string, unknown>>,
  names: ReadonlyArray<string>,
  types: ReadonlyArray<Column>
): Stream.Stream<Uint8Array, E | SnowflakeError> => {
  const columns = types.map((column, i): Column => {
    const sample = lookup(first, names[i]!)
    return TEMPORAL.has(column.type) && typeof sample === "string"
      ? { ...column, type: "text", precision: null, scale: null }
      : column
  })
  const rows = Stream.map(records, (record) => names.map((name) => lookup(record, name)))
  return parquet(rows, columns)
}
