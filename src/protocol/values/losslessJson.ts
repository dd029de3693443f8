/**
 * JSON text that keeps what `JSON.stringify` loses: bigints as plain integer literals, BigDecimals as
 * plain decimal literals (never `1E+20`), bytes as hex. The writing half of `decode/json.ts`'s
 * `parseLosslessJson`; shared by the client's exports and the emulator's VARIANT text (both sides of
 * the wire write the same JSON, so it lives with the protocol).
 */
import * as BigDecimal from "effect/BigDecimal"
import * as DateTime from "effect/DateTime"
import { toPlainString } from "./decimal.js"

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
