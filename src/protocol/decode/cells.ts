/**
 * One converter per Snowflake column type, from the rowset cell text (PROTOCOL.md §5.5) to a JS
 * value. Converters take a non-null cell and throw `CellError` when the text does not match the
 * type; the row decoder adds the column name and value to the message.
 */
import * as BigDecimal from "effect/BigDecimal"
import { NANOS_PER_SECOND, parseDecimalSeconds, parsed } from "../values/calendar.js"
import { SnowflakeDate } from "../values/SnowflakeDate.js"
import { SnowflakeTime } from "../values/SnowflakeTime.js"
import { SnowflakeTimestamp, type TimestampKind } from "../values/SnowflakeTimestamp.js"
import { parseLosslessJson } from "./json.js"

/** A cell did not match its column type; `reason` says how. */
export class CellError extends Error {
  constructor(readonly reason: string) {
    super(reason)
  }
}

export type Converter = (cell: string) => unknown

const fail = (reason: string): never => {
  throw new CellError(reason)
}

export const identity: Converter = (cell) => cell

/** Largest precision whose values all fit a JS number exactly (10^15 − 1 < 2^53). */
export const MAX_SAFE_PRECISION = 15

const integerText = /^-?\d+$/
const decimalText = /^-?\d+(\.\d+)?$/

/** NUMBER(p, 0) with p ≤ 15: every value fits a JS number. */
export const smallInteger: Converter = (cell) => {
  const n = +cell
  if (cell.length === 0 || !Number.isInteger(n)) fail("not an integer")
  return n
}

/** NUMBER(p, 0) with p > 15 (or unknown): always a bigint, so the column's type never varies by row. */
export const bigInteger: Converter = (cell) => {
  if (!integerText.test(cell)) fail("not an integer")
  return BigInt(cell)
}

/** NUMBER(p, s > 0): an exact BigDecimal with the cell's own scale. */
export const decimal: Converter = (cell) => {
  if (!decimalText.test(cell)) fail("not a decimal number")
  const dot = cell.indexOf(".")
  return dot === -1
    ? BigDecimal.make(BigInt(cell), 0)
    : BigDecimal.make(BigInt(cell.slice(0, dot) + cell.slice(dot + 1)), cell.length - dot - 1)
}

/** DECFLOAT and other numeric text that may carry an exponent. */
export const decimalWithExponent: Converter = (cell) => {
  const value = cell.length === 0 ? undefined : BigDecimal.fromString(cell)
  if (value === undefined || value._tag === "None") return fail("not a decimal number")
  return value.value
}

/** Any numeric cell as a plain (possibly rounded) JS number. */
export const plainNumber: Converter = (cell) => {
  const n = +cell
  if (cell.length === 0 || Number.isNaN(n)) return real(cell)
  return n
}

const specialReals: Readonly<Record<string, number>> = {
  nan: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  "+inf": Number.POSITIVE_INFINITY,
  "-inf": Number.NEGATIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  "+infinity": Number.POSITIVE_INFINITY,
  "-infinity": Number.NEGATIVE_INFINITY
}

/** REAL / FLOAT: shortest float text, plus NaN / inf / Infinity in any case. */
export const real: Converter = (cell) => {
  const n = +cell
  if (cell.length > 0 && !Number.isNaN(n)) return n
  const special = specialReals[cell.toLowerCase()]
  return special === undefined ? fail("not a floating-point number") : special
}

/** BOOLEAN: "1"/"0", "true"/"false" in any case. */
export const boolean: Converter = (cell) => {
  if (cell === "1") return true
  if (cell === "0") return false
  const lower = cell.toLowerCase()
  if (lower === "true") return true
  if (lower === "false") return false
  return fail("not a boolean")
}

const dayCount = (cell: string): number => {
  const days = +cell
  if (cell.length === 0 || !Number.isInteger(days)) fail("not a day count")
  return days
}

/** DATE: days since 1970-01-01. */
export const date: Converter = (cell) => new SnowflakeDate(dayCount(cell))
export const dateAsJsDate: Converter = (cell) => new Date(dayCount(cell) * 86_400_000)
export const dateAsString: Converter = (cell) => new SnowflakeDate(dayCount(cell)).toString()

/** TIME: seconds since midnight with `scale` fraction digits (a missing fraction is tolerated). */
export const time =
  (scale: number): Converter =>
  (cell) => {
    if (!parseDecimalSeconds(cell, 0, cell.length) || parsed.seconds < 0 || parsed.seconds >= 86_400) {
      fail("not a time of day")
    }
    return new SnowflakeTime(parsed.seconds * NANOS_PER_SECOND + parsed.nanos, scale)
  }

/**
 * TIMESTAMP_NTZ / _LTZ: `<epoch seconds>.<fraction>`; TIMESTAMP_TZ: the same, a space, then the
 * offset index (offset minutes + 1440). Only the v1 text form is accepted; the legacy packed
 * `version:0` form fails (no current server sends it).
 */
export const timestamp =
  (kind: TimestampKind, scale: number): Converter =>
  (cell) => {
    let end = cell.length
    let offsetMinutes = 0
    if (kind === "tz") {
      end = cell.indexOf(" ")
      if (end === -1) fail("TIMESTAMP_TZ without an offset")
      const index = +cell.slice(end + 1)
      if (!Number.isInteger(index) || index < 0 || index > 2880) fail("bad time zone offset")
      offsetMinutes = index - 1440
    }
    if (!parseDecimalSeconds(cell, 0, end)) fail("not an epoch timestamp")
    return new SnowflakeTimestamp(kind, parsed.seconds, parsed.nanos, offsetMinutes, scale)
  }

/** VARIANT / OBJECT / ARRAY / MAP: JSON text, parsed without losing big integers. */
export const json: Converter = (cell) => {
  try {
    return parseLosslessJson(cell)
  } catch (error) {
    return fail(error instanceof Error ? error.message : "invalid JSON")
  }
}

const hexValues = (() => {
  const table = new Int8Array(128).fill(-1)
  for (let i = 0; i < 10; i++) table[48 + i] = i
  for (let i = 0; i < 6; i++) {
    table[65 + i] = 10 + i
    table[97 + i] = 10 + i
  }
  return table
})()

/** BINARY: hex text (upper-case on the wire; either case accepted). */
export const binary: Converter = (cell) => {
  const length = cell.length
  if (length % 2 !== 0) fail("odd number of hex digits")
  const bytes = new Uint8Array(length / 2)
  for (let i = 0, j = 0; i < length; i += 2, j++) {
    const hi = hexValues[cell.charCodeAt(i)] ?? -1
    const lo = hexValues[cell.charCodeAt(i + 1)] ?? -1
    if (hi < 0 || lo < 0) fail("not hex")
    bytes[j] = (hi << 4) | lo
  }
  return bytes
}
