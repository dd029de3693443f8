/**
 * Rowset decoding driven by the rowtype (DESIGN.md §4). `compileRowDecoder` looks at the columns
 * once and picks one converter per column; decoding a row is then a plain loop over the cells.
 * The choice depends only on the column, never on a value, so a column's JS type is the same in
 * every row:
 *
 * | column | default ("lossless") |
 * | --- | --- |
 * | NUMBER(p ≤ 15, 0) | number |
 * | NUMBER(p > 15 or unknown, 0) | bigint |
 * | NUMBER(p, s > 0) | BigDecimal |
 * | DECFLOAT | BigDecimal |
 * | REAL | number (NaN, ±Infinity from `NaN`/`inf`/`Infinity`) |
 * | BOOLEAN | boolean |
 * | DATE / TIME / TIMESTAMP_* | SnowflakeDate / SnowflakeTime / SnowflakeTimestamp |
 * | VARIANT / OBJECT / ARRAY / MAP | parsed JSON, integers beyond 2^53 as bigint |
 * | BINARY | Uint8Array |
 * | TEXT and unknown types | string |
 *
 * Options: `numbers: "number"` gives plain (possibly rounded) numbers, `"string"` the cell text;
 * `dates: "jsDate"` gives JS Dates for DATE/TIMESTAMP (TIME stays a `HH:MM:SS.f` string),
 * `"string"` ISO text; `json: "string"` leaves JSON text unparsed.
 *
 * Object rows: a duplicated column name gets a suffix, `_2`, `_3`, … in order of appearance
 * (`SELECT 1 AS A, 2 AS A` → `{ A, A_2 }`), skipping suffixes that are already taken.
 */
import { RowDecodeError } from "../../errors/Query.js"
import type { RowTypeEntry } from "../wire/query.js"
import * as Cells from "./cells.js"

export interface DecodeOptions {
  readonly numbers?: "lossless" | "number" | "string"
  readonly dates?: "native" | "string" | "jsDate"
  readonly json?: "parse" | "string"
}

/** A result column, normalised from its rowtype entry (absent metadata is `null`). */
export interface Column {
  readonly name: string
  /** The rowtype type, lower-case (`fixed`, `text`, `timestamp_tz`, …). */
  readonly type: string
  readonly precision: number | null
  readonly scale: number | null
  readonly nullable: boolean
  readonly length: number | null
}

export interface RowDecoder {
  readonly columns: ReadonlyArray<Column>
  /** Object keys used by `toObject`, in column order (deduplicated names). */
  readonly keys: ReadonlyArray<string>
  /** Throws `RowDecodeError` on a malformed cell or a row of the wrong width. */
  toArray(cells: ReadonlyArray<string | null>): Array<unknown>
  /** Throws `RowDecodeError` on a malformed cell or a row of the wrong width. */
  toObject(cells: ReadonlyArray<string | null>): Record<string, unknown>
}

const toColumn = (entry: RowTypeEntry): Column => ({
  name: entry.name,
  type: entry.type.toLowerCase(),
  precision: entry.precision ?? null,
  scale: entry.scale ?? null,
  nullable: entry.nullable ?? true,
  length: entry.length ?? null
})

/** The converter for one column under the given options. */
export const converterFor = (column: Column, options: DecodeOptions = {}): Cells.Converter => {
  const numbers = options.numbers ?? "lossless"
  const dates = options.dates ?? "native"
  const scale = column.scale ?? 9
  const temporal = (native: Cells.Converter, asDate: Cells.Converter | undefined): Cells.Converter => {
    if (dates === "native") return native
    if (dates === "jsDate" && asDate !== undefined) return asDate
    return (cell) => String(native(cell))
  }
  switch (column.type) {
    case "fixed":
      if (numbers === "string") return Cells.identity
      if (numbers === "number") return Cells.plainNumber
      if ((column.scale ?? 0) > 0) return Cells.decimal
      return column.precision !== null && column.precision <= Cells.MAX_SAFE_PRECISION
        ? Cells.smallInteger
        : Cells.bigInteger
    case "decfloat":
      if (numbers === "string") return Cells.identity
      return numbers === "number" ? Cells.plainNumber : Cells.decimalWithExponent
    case "real":
    case "float":
    case "double":
      return numbers === "string" ? Cells.identity : Cells.real
    case "boolean":
      return Cells.boolean
    case "date":
      return dates === "native" ? Cells.date : dates === "jsDate" ? Cells.dateAsJsDate : Cells.dateAsString
    case "time":
      return temporal(Cells.time(scale), undefined)
    case "timestamp_ntz":
    case "timestamp_ltz":
    case "timestamp_tz": {
      const native = Cells.timestamp(column.type.slice(10) as "ntz" | "ltz" | "tz", scale)
      return temporal(native, (cell) => (native(cell) as { toDate(): Date }).toDate())
    }
    case "variant":
    case "object":
    case "array":
    case "map":
      return options.json === "string" ? Cells.identity : Cells.json
    case "binary":
      return Cells.binary
    default:
      return Cells.identity
  }
}

/** Object keys for the columns: names, with `_2`, `_3`, … for repeats. */
export const uniqueKeys = (names: ReadonlyArray<string>): Array<string> => {
  const taken = new Set<string>()
  const seen = new Map<string, number>()
  return names.map((name) => {
    let key = name
    if (taken.has(key)) {
      let n = seen.get(name) ?? 1
      do {
        n++
        key = `${name}_${n}`
      } while (taken.has(key))
      seen.set(name, n)
    }
    taken.add(key)
    return key
  })
}

const MAX_SHOWN = 100

const decodeError = (column: Column, cell: string, cause: unknown): RowDecodeError => {
  const shown = cell.length > MAX_SHOWN ? `${cell.slice(0, MAX_SHOWN)}…` : cell
  const reason =
    cause instanceof Cells.CellError ? cause.reason : cause instanceof Error ? cause.message : "invalid"
  return new RowDecodeError({
    message: `Cannot decode column ${JSON.stringify(column.name)} (${column.type}) value ${JSON.stringify(shown)}: ${reason}`
  })
}

const widthError = (expected: number, actual: number): RowDecodeError =>
  new RowDecodeError({ message: `Row has ${actual} cells, the rowtype has ${expected} columns` })

export const compileRowDecoder = (
  rowtype: ReadonlyArray<RowTypeEntry>,
  options: DecodeOptions = {}
): RowDecoder => {
  const columns = rowtype.map(toColumn)
  const converters = columns.map((column) => converterFor(column, options))
  const keys = uniqueKeys(columns.map((column) => column.name))
  const width = columns.length
  const protoIndex = keys.indexOf("__proto__")

  const toArray = (cells: ReadonlyArray<string | null>): Array<unknown> => {
    if (cells.length !== width) throw widthError(width, cells.length)
    const out = new Array<unknown>(width)
    let i = 0
    try {
      for (; i < width; i++) {
        const cell = cells[i]
        out[i] = cell === null || cell === undefined ? null : converters[i]!(cell)
      }
    } catch (cause) {
      throw decodeError(columns[i]!, cells[i] ?? "", cause)
    }
    return out
  }

  const toObject = (cells: ReadonlyArray<string | null>): Record<string, unknown> => {
    if (cells.length !== width) throw widthError(width, cells.length)
    const out: Record<string, unknown> = {}
    let i = 0
    try {
      for (; i < width; i++) {
        const cell = cells[i]
        const value = cell === null || cell === undefined ? null : converters[i]!(cell)
        // A column literally named __proto__ must become an own property, not the prototype.
        if (i === protoIndex)
          Object.defineProperty(out, "__proto__", { value, enumerable: true, writable: true })
        else out[keys[i]!] = value
      }
    } catch (cause) {
      throw decodeError(columns[i]!, cells[i] ?? "", cause)
    }
    return out
  }

  return { columns, keys, toArray, toObject }
}
