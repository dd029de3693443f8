/**
 * Result encoding. DuckDB does the per-cell work: the user's query is wrapped in a projection
 * that turns every column into the exact Snowflake JSON-rowset text (PROTOCOL.md §5.5) and joins
 * the cells of a row into one string. Reading one string per row keeps the Node side cheap (each
 * string read from DuckDB costs a native call); splitting it is a fast V8 builtin. Big integers and
 * 38-digit decimals never pass through JS numbers.
 */
import { type DuckDBType, DuckDBTypeId } from "@duckdb/node-api"
import type { ColumnMeta, RowType } from "./Engine.js"

const CELL_SEPARATOR = "\x1f"
const NULL_MARK = "\x1e"
const ESCAPE = "\x1b"

const VARCHAR_LENGTH = 16777216
const BINARY_LENGTH = 8388608

/** How one DuckDB column is presented: its rowtype entry and the SQL that encodes a cell. */
export interface ColumnEncoding {
  readonly meta: Omit<ColumnMeta, "name" | "database" | "schema" | "table">
  /** SQL expression producing the cell text from `ref` (never NULL-aware: NULL stays NULL). */
  readonly sql: (ref: string) => string
  /** Whether the text may contain the separator characters and so is escaped. */
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

const escapeText = (ref: string) =>
  `replace(replace(replace(${ref}, chr(27), chr(27) || 'e'), chr(31), chr(27) || 'u'), chr(30), chr(27) || 'r')`

const asText = (ref: string) => `CAST(${ref} AS VARCHAR)`

const fixed = (precision: number, scale: number): ColumnEncoding => ({
  meta: meta("fixed", { precision, scale }),
  sql: asText,
  escaped: false
})

const json = (type: RowType): ColumnEncoding => ({
  meta: meta(type, { length: VARCHAR_LENGTH, byteLength: VARCHAR_LENGTH }),
  sql: (ref) => escapeText(`CAST(to_json(${ref}) AS VARCHAR)`),
  escaped: true
})

/** The encoding for a DuckDB result column type. */
export const columnEncoding = (type: DuckDBType): ColumnEncoding => {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return { meta: meta("boolean"), sql: (r) => `CASE WHEN ${r} THEN '1' ELSE '0' END`, escaped: false }
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
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
          sql: (r) => escapeText(asText(r)),
          escaped: true
        }
      }
      return {
        meta: meta("text", { length: VARCHAR_LENGTH, byteLength: VARCHAR_LENGTH }),
        sql: escapeText,
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
        sql: (r) => escapeText(asText(r)),
        escaped: true
      }
  }
}

/** The projection that turns every row of `inner` into one encoded string. */
export const encodingQuery = (inner: string, encodings: ReadonlyArray<ColumnEncoding>): string => {
  const names = encodings.map((_, i) => `"c${i}"`)
  const cells = encodings.map((e, i) => `coalesce(${e.sql(`"q".${names[i]}`)}, chr(30))`)
  return `SELECT concat_ws(chr(31), ${cells.join(", ")}) FROM (${inner}\n) AS "q"(${names.join(", ")})`
}

const ESCAPED = new RegExp(`${ESCAPE}([eur])`, "g")

const unescapeCell = (cell: string) =>
  cell.replace(ESCAPED, (_, c: string) => (c === "e" ? ESCAPE : c === "u" ? CELL_SEPARATOR : NULL_MARK))

/** Splits one encoded row string back into cells. */
export const decodeRow = (line: string): Array<string | null> => {
  const cells: Array<string | null> = line.split(CELL_SEPARATOR)
  const hasEscapes = line.includes(ESCAPE)
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as string
    if (cell === NULL_MARK) cells[i] = null
    else if (hasEscapes) cells[i] = unescapeCell(cell)
  }
  return cells
}
