/**
 * Text for decoded values, losslessly: what an export writes for a cell. Big integers stay exact,
 * decimals are plain digits (never `1E+20`), Snowflake date/time values keep their nanoseconds and
 * offsets, binary is hex and JSON keeps its big integers.
 */
import * as BigDecimal from "effect/BigDecimal"
import * as DateTime from "effect/DateTime"
import { toPlainString } from "../../protocol/values/decimal.js"

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

/** Lower-case hex, two digits per byte (Snowflake's default BINARY_OUTPUT_FORMAT is upper-case HEX; both load). */
export const toHex = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!]
  return out
}

/**
 * JSON text like `JSON.stringify`, except that bigints are written as plain integer literals
 * (what `parseLosslessJson` reads back), BigDecimals as plain decimal literals and bytes as hex.
 */
export const stringifyLossless = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value)
    case "number":
      return Number.isFinite(value) ? String(value) : "null"
    case "bigint":
      return value.toString()
    case "boolean":
      return value ? "true" : "false"
    case "undefined":
    case "function":
    case "symbol":
      return "null"
  }
  if (value === null) return "null"
  if (Array.isArray(value)) {
    let out = "["
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + stringifyLossless(value[i])
    return `${out}]`
  }
  if (BigDecimal.isBigDecimal(value)) return toPlainString(value)
  if (value instanceof Uint8Array) return JSON.stringify(toHex(value))
  if (DateTime.isDateTime(value)) return JSON.stringify(DateTime.formatIso(value))
  const withToJson = value as { toJSON?: () => unknown }
  if (typeof withToJson.toJSON === "function") return stringifyLossless(withToJson.toJSON())
  let out = "{"
  let first = true
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue
    out += `${first ? "" : ","}${JSON.stringify(key)}:${stringifyLossless(item)}`
    first = false
  }
  return `${out}}`
}

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
