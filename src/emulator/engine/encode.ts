/**
 * Result encoding. DuckDB does all the per-cell work: the user's query is wrapped in a projection
 * that turns every column into the exact Snowflake JSON-rowset text (PROTOCOL.md §5.5) and builds
 * the whole row as JSON array text (`["1","a",null]`), so Node reads one string per row and the
 * server joins those strings into chunk bodies without parsing or re-stringifying anything. Big
 * integers and 38-digit decimals never pass through JS numbers.
 */
import { type DuckDBType, DuckDBTypeId } from "@duckdb/node-api"
import type { ColumnMeta, RowType } from "./Engine.js"

const VARCHAR_LENGTH = 16777216
const BINARY_LENGTH = 8388608

/** How one DuckDB column is presented: its rowtype entry and the SQL that encodes a cell. */
export interface ColumnEncoding {
  readonly meta: Omit<ColumnMeta, "name" | "database" | "schema" | "table">
  /** SQL expression producing the cell text from `ref` (never NULL-aware: NULL stays NULL). */
  readonly sql: (ref: string) => string
  /** Whether the text may need JSON string escaping (quotes, backslashes, control characters). */
  readonly escaped: boolean
}

const meta = (
  type: RowType,
  fields: Partial<Pick<ColumnMeta, "precision" | "scale" | "length" | "byteLength">> = {}
): ColumnEncoding["meta"] => ({
  type,
  precision: fields.precision ?? null,
  scale: fields.scale ?? null,
  length: fields.length ?? null,
  byteLength: fields.byteLength ?? null,
  nullable: true,
  collation: null
})

/** Signed epoch microseconds → "<secs>.<9 digits>" (-1.5 s is "-1.500000000"). */
const microsText = (us: string) =>
  `(CASE WHEN (${us}) < 0 THEN '-' ELSE '' END || CAST(abs(${us}) // 1000000 AS VARCHAR) || '.' || lpad(CAST(abs(${us}) % 1000000 AS VARCHAR), 6, '0') || '000')`

const nanosText = (ns: string) =>
  `(CASE WHEN (${ns}) < 0 THEN '-' ELSE '' END || CAST(abs(${ns}) // 1000000000 AS VARCHAR) || '.' || lpad(CAST(abs(${ns}) % 1000000000 AS VARCHAR), 9, '0'))`

const asText = (ref: string) => `CAST(${ref} AS VARCHAR)`

const fixed = (precision: number, scale: number): ColumnEncoding => ({
  meta: meta("fixed", { precision, scale }),
  sql: asText,
  escaped: false
})

const json = (type: RowType): ColumnEncoding => ({
  meta: meta(type, { length: VARCHAR_LENGTH, byteLength: VARCHAR_LENGTH }),
  sql: (ref) => `CAST(to_json(${ref}) AS VARCHAR)`,
  escaped: true
})

/** The encoding for a DuckDB result column type. */
export const columnEncoding = (type: DuckDBType): ColumnEncoding => {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return { meta: meta("boolean"), sql: (r) => `CASE WHEN ${r} THEN '1' ELSE '0' END`, escaped: false }
    // Table columns are stored as DECIMAL(38,0) (Snowflake's INT), so they answer NUMBER(38,0) as
    // Snowflake does; computed integers get the digits their DuckDB type can hold, the way
    // Snowflake sizes expressions (a literal 1 is NUMBER(1,0), COUNT(*) NUMBER(18,0)), so clients
    // that pick number vs bigint by precision see what they would see against Snowflake.
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.UTINYINT:
      return fixed(3, 0)
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.USMALLINT:
      return fixed(5, 0)
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UINTEGER:
      return fixed(10, 0)
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
      return fixed(19, 0)
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return fixed(38, 0)
    case DuckDBTypeId.DECIMAL: {
      const decimal = type as unknown as { readonly width: number; readonly scale: number }
      return fixed(decimal.width, decimal.scale)
    }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return {
        meta: meta("real"),
        sql: (r) =>
          `CASE WHEN isnan(${r}) THEN 'NaN' WHEN isinf(${r}) THEN (CASE WHEN ${r} > 0 THEN 'inf' ELSE '-inf' END) ELSE regexp_replace(CAST(CAST(${r} AS DOUBLE) AS VARCHAR), '\\.0$', '') END`,
        escaped: false
      }
    case DuckDBTypeId.VARCHAR:
      if (type.alias === "JSON") {
        return {
          meta: meta("variant", { length: VARCHAR_LENGTH, byteLength: VARCHAR_LENGTH }),
          sql: asText,
          escaped: true
        }
      }
      return {
        meta: meta("text", { length: VARCHAR_LENGTH, byteLength: VARCHAR_LENGTH }),
        sql: (r) => r,
        escaped: true
      }
    case DuckDBTypeId.BLOB:
      return {
        meta: meta("binary", { length: BINARY_LENGTH, byteLength: BINARY_LENGTH }),
        sql: (r) => `upper(hex(${r}))`,
        escaped: false
      }
    case DuckDBTypeId.DATE:
      return { meta: meta("date"), sql: (r) => `CAST((${r}) - DATE '1970-01-01' AS VARCHAR)`, escaped: false }
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
      return {
        meta: meta("time", { precision: 0, scale: 9 }),
        sql: (r) => microsText(`datediff('microsecond', TIME '00:00:00', CAST(${r} AS TIME))`),
        escaped: false
      }
    case DuckDBTypeId.TIMESTAMP_NS:
      return {
        meta: meta("timestamp_ntz", { precision: 0, scale: 9 }),
        sql: (r) => nanosText(`epoch_ns(${r})`),
        escaped: false
      }
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
      return {
        meta: meta("timestamp_ntz", { precision: 0, scale: 9 }),
        sql: (r) => microsText(`epoch_us(CAST(${r} AS TIMESTAMP))`),
        escaped: false
      }
    case DuckDBTypeId.TIMESTAMP_TZ:
      return {
        meta: meta("timestamp_tz", { precision: 0, scale: 9 }),
        sql: (r) =>
          `${microsText(`epoch_us(${r})`)} || ' ' || CAST(1440 + EXTRACT(timezone FROM ${r}) // 60 AS VARCHAR)`,
        escaped: false
      }
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return json("array")
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return json("object")
    case DuckDBTypeId.VARIANT:
      return json("variant")
    case DuckDBTypeId.SQLNULL:
      return {
        meta: meta("text", { length: VARCHAR_LENGTH, byteLength: VARCHAR_LENGTH }),
        sql: asText,
        escaped: false
      }
    default:
      return {
        meta: meta("text", { length: VARCHAR_LENGTH, byteLength: VARCHAR_LENGTH }),
        sql: asText,
        escaped: true
      }
  }
}

/**
 * One cell as JSON text. Escaped cells go through `to_json` on their VARCHAR text (a JSON string
 * literal, NULL stays NULL); the others are digits, signs, dots, spaces or hex, so quoting them is
 * enough. NULL is tested on the raw column: every encoding maps NULL to NULL and only NULL.
 */
const jsonCell = (encoding: ColumnEncoding, ref: string): string =>
  encoding.escaped
    ? `coalesce(CAST(to_json(CAST(${encoding.sql(ref)} AS VARCHAR)) AS VARCHAR), 'null')`
    : `CASE WHEN ${ref} IS NULL THEN 'null' ELSE concat('"', ${encoding.sql(ref)}, '"') END`

/**
 * The projection that turns every row of `inner` into its JSON array text. One `concat` call for
 * the whole row: chains of `||` allocate an intermediate string per operator and were about four
 * times slower on 1M rows.
 */
export const encodingQuery = (inner: string, encodings: ReadonlyArray<ColumnEncoding>): string => {
  const names = encodings.map((_, i) => `"c${i}"`)
  if (encodings.length === 0) return `SELECT '[]' FROM (${inner}\n) AS "q"`
  const parts = encodings.map((e, i) => jsonCell(e, `"q".${names[i]}`))
  return `SELECT concat('[', ${parts.join(", ',', ")}, ']') FROM (${inner}\n) AS "q"(${names.join(", ")})`
}
