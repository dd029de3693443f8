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
import * as ByteCells from "./byteCells.js"
import * as Cells from "./cells.js"
import type * as RowBatch from "./RowBatch.js"
import { type CellVisitor, cellText, readRow } from "./rowset.js"

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
  /**
   * Every row of a batch as objects or arrays; rowset batches are read from their bytes. Throws
   * `RowDecodeError` like `toObject` / `toArray`.
   */
  decodeBatch(batch: RowBatch.RowBatch, shape: "object" | "array"): Array<unknown>
}

const toColumn = (entry: RowTypeEntry): Column => ({
  name: entry.name,
  type: entry.type.toLowerCase(),
  precision: entry.precision ?? null,
  scale: entry.scale ?? null,
  nullable: entry.nullable ?? true,
  length: entry.length ?? null
})

/** How one column's cells become values: from a string cell, and from the rowset bytes. */
export interface ColumnConverters {
  readonly text: Cells.Converter
  /** Gives the same value (or error) as `text` on the cell's text, read from the bytes. */
  readonly bytes: ByteCells.ByteConverter
}

const viaText = (text: Cells.Converter): ColumnConverters => ({ text, bytes: ByteCells.fromText(text) })

const STRING: ColumnConverters = { text: Cells.identity, bytes: ByteCells.text }

/** The converters for one column under the given options. */
export const convertersFor = (column: Column, options: DecodeOptions = {}): ColumnConverters => {
  const numbers = options.numbers ?? "lossless"
  const dates = options.dates ?? "native"
  const scale = column.scale ?? 9
  const temporal = (native: ColumnConverters, asDate: Cells.Converter | undefined): ColumnConverters => {
    if (dates === "native") return native
    if (dates === "jsDate" && asDate !== undefined) return viaText(asDate)
    return viaText((cell) => String(native.text(cell)))
  }
  switch (column.type) {
    case "fixed":
      if (numbers === "string") return STRING
      if (numbers === "number") return viaText(Cells.plainNumber)
      if ((column.scale ?? 0) > 0) return { text: Cells.decimal, bytes: ByteCells.decimal }
      return column.precision !== null && column.precision <= Cells.MAX_SAFE_PRECISION
        ? { text: Cells.smallInteger, bytes: ByteCells.smallInteger }
        : { text: Cells.bigInteger, bytes: ByteCells.bigInteger }
    case "decfloat":
      if (numbers === "string") return STRING
      return viaText(numbers === "number" ? Cells.plainNumber : Cells.decimalWithExponent)
    case "real":
    case "float":
    case "double":
      return numbers === "string" ? STRING : viaText(Cells.real)
    case "boolean":
      return { text: Cells.boolean, bytes: ByteCells.boolean }
    case "date":
      return dates === "native"
        ? { text: Cells.date, bytes: ByteCells.date }
        : viaText(dates === "jsDate" ? Cells.dateAsJsDate : Cells.dateAsString)
    case "time":
      return temporal({ text: Cells.time(scale), bytes: ByteCells.time(scale) }, undefined)
    case "timestamp_ntz":
    case "timestamp_ltz":
    case "timestamp_tz": {
      const kind = column.type.slice(10) as "ntz" | "ltz" | "tz"
      const native = Cells.timestamp(kind, scale)
      return temporal({ text: native, bytes: ByteCells.timestamp(kind, scale) }, (cell) =>
        (native(cell) as { toDate(): Date }).toDate()
      )
    }
    case "variant":
    case "object":
    case "array":
    case "map":
      return options.json === "string" ? STRING : viaText(Cells.json)
    case "binary":
      return viaText(Cells.binary)
    default:
      return STRING
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
  const both = columns.map((column) => convertersFor(column, options))
  const converters = both.map((c) => c.text)
  const byteConverters = both.map((c) => c.bytes)
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

  // Reading rows from rowset bytes: one visitor per shape, filling `target`; `at*` remember the
  // cell being converted so that a failure can name it.
  let bytes: Uint8Array = new Uint8Array(0)
  let target: Record<string, unknown> | Array<unknown> = []
  let at = 0
  let atStart = 0
  let atEnd = 0
  let atFlags = 0
  const convertAt = (i: number, start: number, end: number, flags: number, isNull: boolean): unknown => {
    if (isNull) return null
    at = i
    atStart = start
    atEnd = end
    atFlags = flags
    return byteConverters[i]!(bytes, start, end, flags)
  }
  const intoObject: CellVisitor = (i, start, end, flags, isNull) => {
    if (i >= width) return
    const value = convertAt(i, start, end, flags, isNull)
    if (i === protoIndex)
      Object.defineProperty(target, "__proto__", { value, enumerable: true, writable: true })
    else (target as Record<string, unknown>)[keys[i]!] = value
  }
  const intoArray: CellVisitor = (i, start, end, flags, isNull) => {
    if (i < width) (target as Array<unknown>)[i] = convertAt(i, start, end, flags, isNull)
  }

  const decodeRowset = (batch: RowBatch.RowsetBatch, shape: "object" | "array"): Array<unknown> => {
    const { rowset, from, to } = batch
    const visit = shape === "object" ? intoObject : intoArray
    const out = new Array<unknown>(to - from)
    bytes = rowset.bytes
    for (let r = from; r < to; r++) {
      target = shape === "object" ? {} : new Array<unknown>(width)
      at = -1
      let count: number
      try {
        count = readRow(rowset, r, visit)
      } catch (cause) {
        if (at < 0) throw cause
        throw decodeError(columns[at]!, cellText(bytes, atStart, atEnd, atFlags), cause)
      }
      if (count !== width) throw widthError(width, count)
      out[r - from] = target
    }
    return out
  }

  const decodeBatch = (batch: RowBatch.RowBatch, shape: "object" | "array"): Array<unknown> => {
    if (batch._tag === "Rowset") return decodeRowset(batch, shape)
    const toRow = shape === "object" ? toObject : toArray
    return batch.rows.map((cells) => toRow(cells))
  }

  return { columns, keys, toArray, toObject, decodeBatch }
}

/** What a decoder threw, as a RowDecodeError (its own, or one wrapping the cause). */
export const asRowDecodeError = (cause: unknown): RowDecodeError =>
  cause instanceof RowDecodeError
    ? cause
    : new RowDecodeError({ message: "A row could not be decoded", cause })
