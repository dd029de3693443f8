/**
 * Text for decoded values, losslessly: what an export writes for a cell. Big integers stay exact,
 * decimals are plain digits (never `1E+20`), Snowflake date/time values keep their nanoseconds and
 * offsets, binary is hex and JSON keeps its big integers.
 */
import * as BigDecimal from "effect/BigDecimal"
import * as DateTime from "effect/DateTime"
import { toPlainString } from "../../protocol/values/decimal.js"
import { stringifyLossless, toHex } from "../../protocol/values/losslessJson.js"

export { stringifyLossless, toHex }

/**
 * A value as export text, or `null` for SQL NULL. Strings as they are; numbers, bigints and
 * booleans as JS prints them; BigDecimal as plain digits; SnowflakeDate / SnowflakeTime /
 * SnowflakeTimestamp (and anything else with its own `toString` contract through `toJSON`) as
 * their ISO text; JS Dates and Effect DateTimes as ISO; bytes as hex; objects and arrays as JSON.
 */
export const renderValue = (value: unknown): string | null => {
  switch (typeof value) {
    case "string":
      return value
    case "number":
      return String(value)
    case "bigint":
      return value.toString()
    case "boolean":
      return value ? "true" : "false"
    case "undefined":
      return null
  }
  if (value === null) return null
  if (BigDecimal.isBigDecimal(value)) return toPlainString(value)
  if (value instanceof Uint8Array) return toHex(value)
  if (value instanceof Date) return value.toISOString()
  if (DateTime.isDateTime(value)) return DateTime.formatIso(value)
  const tagged = (value as { _tag?: unknown })._tag
  if (tagged === "SnowflakeDate" || tagged === "SnowflakeTime" || tagged === "SnowflakeTimestamp")
    return String(value)
  return stringifyLossless(value)
}
