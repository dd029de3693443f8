/**
 * Calendar arithmetic shared by the date/time value types: proleptic Gregorian dates from day
 * numbers (Howard Hinnant's `civil_from_days`, exact for any day count) and ISO text helpers.
 * Kept free of `Date` so values before 1970 or after 2038 and nanoseconds need no special cases.
 */

export const SECONDS_PER_DAY = 86_400
export const NANOS_PER_SECOND = 1_000_000_000

export interface CivilDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

/** The calendar date of a day number (days since 1970-01-01, negative before). */
export const civilFromDays = (days: number): CivilDate => {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return { year, month, day }
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** `YYYY-MM-DD`; years outside 0000–9999 use the ISO extended form (±YYYYYY) like `Date#toISOString`. */
export const formatDate = (days: number): string => {
  const { year, month, day } = civilFromDays(days)
  const y = year < 0 ? `-${pad(-year, 6)}` : year > 9999 ? `+${pad(year, 6)}` : pad(year, 4)
  return `${y}-${pad(month, 2)}-${pad(day, 2)}`
}

/** `HH:MM:SS` plus a fraction of `scale` digits (none for scale 0), from seconds of the day and nanos. */
export const formatTimeOfDay = (secondOfDay: number, nanos: number, scale: number): string => {
  const hours = Math.floor(secondOfDay / 3600)
  const minutes = Math.floor((secondOfDay % 3600) / 60)
  const seconds = secondOfDay % 60
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}${formatFraction(nanos, scale)}`
}

/** `.fffffffff` truncated to `scale` digits (0–9); empty for scale 0. */
export const formatFraction = (nanos: number, scale: number): string => {
  if (scale <= 0) return ""
  const digits = Math.min(scale, 9)
  return `.${pad(nanos, 9).slice(0, digits)}`
}

/** `+HH:MM` / `-HH:MM` for an offset in minutes. */
export const formatOffset = (offsetMinutes: number): string => {
  const sign = offsetMinutes < 0 ? "-" : "+"
  const abs = Math.abs(offsetMinutes)
  return `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
}

/** Floor division and the matching non-negative remainder. */
export const floorDiv = (a: number, b: number): number => Math.floor(a / b)
export const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b

const POW10 = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1]

/**
 * Result of `parseDecimalSeconds`, kept in module state so the hot decode path allocates nothing.
 * Read both fields right after a successful call.
 */
export const parsed = { seconds: 0, nanos: 0 }

/**
 * Parses `[-]digits[.digits]` between `from` and `to` as seconds with nanoseconds:
 * the whole part goes to `parsed.seconds` (floored for negatives) and `parsed.nanos` is in
 * [0, 1e9). Fraction digits beyond nine are dropped (truncated, never rounded). `-1.5` is 1.5 s
 * before zero: seconds −2, nanos 500 000 000. Returns false on anything malformed.
 */
export const parseDecimalSeconds = (text: string, from: number, to: number): boolean => {
  let i = from
  let negative = false
  if (text.charCodeAt(i) === 45) {
    negative = true
    i++
  }
  let whole = 0
  let wholeDigits = 0
  while (i < to) {
    const c = text.charCodeAt(i)
    if (c === 46) break
    if (c < 48 || c > 57) return false
    whole = whole * 10 + (c - 48)
    wholeDigits++
    i++
  }
  let fraction = 0
  let fractionDigits = 0
  if (i < to) {
    i++ // the dot
    if (i === to) return false
    while (i < to) {
      const c = text.charCodeAt(i)
      if (c < 48 || c > 57) return false
      if (fractionDigits < 9) {
        fraction = fraction * 10 + (c - 48)
        fractionDigits++
      }
      i++
    }
  }
  return storeDecimalSeconds(negative, whole, wholeDigits, fraction, fractionDigits)
}

/**
 * The end of `parseDecimalSeconds` (and of its byte twin in decode/byteCells.ts): from the sign,
 * the whole part and up to nine fraction digits to `parsed`; false when there is no whole digit or
 * more than 15 (beyond exact doubles).
 */
export const storeDecimalSeconds = (
  negative: boolean,
  whole: number,
  wholeDigits: number,
  fraction: number,
  fractionDigits: number
): boolean => {
  if (wholeDigits === 0 || wholeDigits > 15) return false
  let seconds = whole
  let nanos = fraction * POW10[fractionDigits]!
  if (negative && nanos !== 0) {
    seconds = -whole - 1
    nanos = NANOS_PER_SECOND - nanos
  } else if (negative) {
    seconds = -whole
  }
  parsed.seconds = seconds === 0 ? 0 : seconds // no -0
  parsed.nanos = nanos
  return true
}

/** The day number of a calendar date (inverse of `civilFromDays`). */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = month > 2 ? month - 3 : month + 9
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}
