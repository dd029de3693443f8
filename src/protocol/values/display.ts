/**
 * Exact text for any decoded cell value, for humans and text formats (demo tables, CSV): bigints and
 * BigDecimals in plain digits, Snowflake date/time values in ISO form with their nanoseconds,
 * binary as upper-case hex (as Snowflake renders it), VARIANT values as JSON with big integers kept.
 */
import * as BigDecimal from "effect/BigDecimal"
import { toPlainString } from "./decimal.js"

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex").toUpperCase()

const jsonText = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "bigint"
      ? `__bigint__${v}`
      : BigDecimal.isBigDecimal(v)
        ? `__bigint__${toPlainString(v)}`
        : v
  ).replace(/"__bigint__(-?[0-9.]+)"/g, "$1")

/** `null` and `undefined` render as `nullText` (default empty). */
export const displayValue = (value: unknown, nullText = ""): string => {
  if (value === null || value === undefined) return nullText
  switch (typeof value) {
    case "string":
      return value
    case "number":
    case "bigint":
    case "boolean":
      return String(value)
    case "object":
      if (BigDecimal.isBigDecimal(value)) return toPlainString(value)
      if (value instanceof Uint8Array) return hex(value)
      if (value instanceof Date) return value.toISOString()
      if (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype) return jsonText(value)
      return String(value)
    default:
      return String(value)
  }
}
