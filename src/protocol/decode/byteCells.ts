/**
 * Converters that read a cell from the rowset bytes (rowset.ts) instead of from a string. Each one
 * is a fast path for the common, well-formed case — digits of a number, `<seconds>.<fraction>` of a
 * timestamp — and hands anything else to the string converter of cells.ts as text. So the values,
 * and the errors, are exactly those of the string converters: the fast path may only decline.
 */
import * as BigDecimal from "effect/BigDecimal"
import { NANOS_PER_SECOND, parsed, storeDecimalSeconds } from "../values/calendar.js"
import { SnowflakeDate } from "../values/SnowflakeDate.js"
import { SnowflakeTime } from "../values/SnowflakeTime.js"
import { SnowflakeTimestamp, type TimestampKind } from "../values/SnowflakeTimestamp.js"
import * as Cells from "./cells.js"
import { cellText, ESCAPED, NON_ASCII } from "./rowset.js"

/** A cell's content is bytes [start, end) between its quotes; `flags` from rowset.ts. */
export type ByteConverter = (bytes: Uint8Array, start: number, end: number, flags: number) => unknown

/** Any string converter, applied to the cell's text. */
export const fromText =
  (convert: Cells.Converter): ByteConverter =>
  (bytes, start, end, flags) =>
    convert(cellText(bytes, start, end, flags))

const PLAIN = 0
const isPlain = (flags: number) => (flags & (ESCAPED | NON_ASCII)) === PLAIN

/** `[-]digits` with 1–15 digits as a number (exact), or NaN for anything else. */
const readSmallInteger = (bytes: Uint8Array, start: number, end: number): number => {
  let i = start
  const negative = bytes[i] === 45
  if (negative) i++
  const digits = end - i
  if (digits < 1 || digits > Cells.MAX_SAFE_PRECISION) return Number.NaN
  let n = 0
  for (; i < end; i++) {
    const d = bytes[i]! - 48
    if (d < 0 || d > 9) return Number.NaN
    n = n * 10 + d
  }
  return negative ? -n : n
}

/** A converter that tries `fast` on plain cells and uses `slow` on the text when it declines (NaN/undefined). */
const withFallback =
  (slow: Cells.Converter, fast: (bytes: Uint8Array, start: number, end: number) => unknown): ByteConverter =>
  (bytes, start, end, flags) => {
    if (isPlain(flags)) {
      const value = fast(bytes, start, end)
      if (value !== undefined) return value
    }
    return slow(cellText(bytes, start, end, flags))
  }

export const smallInteger = withFallback(Cells.smallInteger, (bytes, start, end) => {
  const n = readSmallInteger(bytes, start, end)
  return Number.isNaN(n) ? undefined : n
})

export const bigInteger = withFallback(Cells.bigInteger, (bytes, start, end) => {
  const n = readSmallInteger(bytes, start, end)
  return Number.isNaN(n) ? undefined : BigInt(n)
})

/** `[-]digits.digits` with at most 15 digits in all, as the BigDecimal `Cells.decimal` makes. */
export const decimal = withFallback(Cells.decimal, (bytes, start, end) => {
  let i = start
  const negative = bytes[i] === 45
  if (negative) i++
  let n = 0
  let digits = 0
  let dot = -1
  for (; i < end; i++) {
    const c = bytes[i]!
    if (c === 46) {
      if (dot !== -1 || digits === 0) return undefined
      dot = i
      continue
    }
    const d = c - 48
    if (d < 0 || d > 9) return undefined
    n = n * 10 + d
    digits++
  }
  if (digits === 0 || digits > Cells.MAX_SAFE_PRECISION || dot === end - 1) return undefined
  const scale = dot === -1 ? 0 : end - dot - 1
  return BigDecimal.make(BigInt(negative ? -n : n), scale)
})

export const boolean = withFallback(Cells.boolean, (bytes, start, end) =>
  end - start === 1 ? (bytes[start] === 49 ? true : bytes[start] === 48 ? false : undefined) : undefined
)

export const date = withFallback(Cells.date, (bytes, start, end) => {
  const days = readSmallInteger(bytes, start, end)
  return Number.isNaN(days) ? undefined : new SnowflakeDate(days)
})

/**
 * `parseDecimalSeconds` (calendar.ts) over bytes: `[-]digits[.digits]`, at most 15 whole digits,
 * fraction truncated to nanoseconds; the result in `parsed`. False when the cell is anything else.
 */
const readDecimalSeconds = (bytes: Uint8Array, start: number, end: number): boolean => {
  let i = start
  const negative = bytes[i] === 45
  if (negative) i++
  let whole = 0
  let wholeDigits = 0
  for (; i < end; i++) {
    const c = bytes[i]!
    if (c === 46) break
    const d = c - 48
    if (d < 0 || d > 9) return false
    whole = whole * 10 + d
    wholeDigits++
  }
  let fraction = 0
  let fractionDigits = 0
  if (i < end) {
    i++ // the dot
    if (i === end) return false
    for (; i < end; i++) {
      const d = bytes[i]! - 48
      if (d < 0 || d > 9) return false
      if (fractionDigits < 9) {
        fraction = fraction * 10 + d
        fractionDigits++
      }
    }
  }
  return storeDecimalSeconds(negative, whole, wholeDigits, fraction, fractionDigits)
}

export const time = (scale: number) =>
  withFallback(Cells.time(scale), (bytes, start, end) =>
    readDecimalSeconds(bytes, start, end) && parsed.seconds >= 0 && parsed.seconds < 86_400
      ? new SnowflakeTime(parsed.seconds * NANOS_PER_SECOND + parsed.nanos, scale)
      : undefined
  )

export const timestamp = (kind: TimestampKind, scale: number) =>
  withFallback(Cells.timestamp(kind, scale), (bytes, start, end) => {
    let secondsEnd = end
    let offsetMinutes = 0
    if (kind === "tz") {
      secondsEnd = bytes.indexOf(32, start)
      if (secondsEnd === -1 || secondsEnd >= end) return undefined
      const index = readSmallInteger(bytes, secondsEnd + 1, end)
      if (!(index >= 0 && index <= 2880)) return undefined
      offsetMinutes = index - 1440
    }
    return readDecimalSeconds(bytes, start, secondsEnd)
      ? new SnowflakeTimestamp(kind, parsed.seconds, parsed.nanos, offsetMinutes, scale)
      : undefined
  })

/** Text cells: the string itself. */
export const text: ByteConverter = cellText
