/** Exports of result rows as byte streams: CSV (RFC 4180) and Parquet. */
export { type CsvOptions, csv } from "./csv.js"
export { ExportError } from "./ExportError.js"
export { PARQUET_PACKAGE, type ParquetOptions, parquet } from "./parquet.js"
export type { TimestampUnit } from "./parquetColumns.js"
export { renderValue, stringifyLossless, toHex } from "./values.js"
