/**
 * Parquet column types for Snowflake columns, and the conversion of decoded values to what the
 * writer takes. The type depends only on the rowtype, never on the values:
 *
 * | Snowflake | Parquet |
 * | --- | --- |
 * | NUMBER(p ≤ 18, 0) | INT64 |
 * | NUMBER(p > 18 or unknown, 0) | DECIMAL(p, 0) in FIXED_LEN_BYTE_ARRAY |
 * | NUMBER(p, s > 0) | DECIMAL(p, s): INT64 when p ≤ 18, else FIXED_LEN_BYTE_ARRAY |
 * | DECFLOAT | UTF8 (plain decimal text: no Parquet type holds 38 digits with any exponent) |
 * | REAL | DOUBLE |
 * | TEXT | UTF8 |
 * | BOOLEAN | BOOLEAN |
 * | DATE | DATE |
 * | TIME | TIME(NANOS or MICROS) |
 * | TIMESTAMP_NTZ | TIMESTAMP(NANOS or MICROS, not UTC-adjusted) |
 * | TIMESTAMP_LTZ / _TZ | TIMESTAMP(NANOS or MICROS, UTC-adjusted): the instant; a TZ offset is not kept |
 * | VARIANT / OBJECT / ARRAY / MAP | UTF8 holding JSON (big integers exact) |
 * | BINARY | BYTE_ARRAY |
 * | anything else | UTF8 |
 *
 * NANOS is used when the column's scale has more than 6 fraction digits (Snowflake's default 9),
 * unless `timestampUnit` says otherwise; INT64 nanoseconds only reach 1677–2262, so results with
 * sentinel dates like 0001-01-01 or 9999-12-31 need `timestampUnit: "micros"`.
 */
import * as BigDecimal from "effect/BigDecimal"
import * as DateTime from "effect/DateTime"
import type { SchemaElement } from "hyparquet-writer"
import type { Column } from "../../protocol/decode/index.js"
import { renderValue, stringifyLossless } from "./values.js"

export type TimestampUnit = "auto" | "nanos" | "micros"

export interface ColumnPlan {
  readonly element: SchemaElement
  /** A decoded value (never null) to the writer's value; throws on a value that does not fit. */
  readonly convert: (value: unknown) => unknown
  /**
   * NUMBER(p > 18, s ≤ 18) only: the INT64 element a file may use instead of `element` when every
   * converted value it holds passes `fits` (below 10^18 in magnitude, so within DECIMAL(18, s)).
   * Encoding 16-byte FIXED_LEN_BYTE_ARRAY decimals costs the writer a BigInt loop and two
   * allocations per value; a loader whose files each choose their own schema (`bulkInsert`) takes
   * the narrow one while the values allow. The rowtype alone never does: an export keeps the
   * column's declared type.
   */
  readonly narrow?:
    | { readonly element: SchemaElement; readonly fits: (converted: unknown) => boolean }
    | undefined
}

const NARROW_LIMIT = 10n ** 18n
const fitsNarrow = (converted: unknown): boolean =>
  typeof converted === "bigint" && converted < NARROW_LIMIT && converted > -NARROW_LIMIT

const MAX_INT64_PRECISION = 18

/** Bytes of a two's-complement integer holding every value of `precision` decimal digits. */
const decimalBytes = (precision: number): number => Math.ceil((precision * Math.log2(10) + 1) / 8)

const unfit = (column: Column, value: unknown, expected: string): Error =>
  new TypeError(
    `Column ${JSON.stringify(column.name)} (${column.type}): cannot write ${typeof value} ${String(renderValue(value))} as ${expected}`
  )

const toDecimal = (column: Column, value: unknown): BigDecimal.BigDecimal => {
  if (BigDecimal.isBigDecimal(value)) return value
  if (typeof value === "bigint") return BigDecimal.fromBigInt(value)
  if (typeof value === "number" || typeof value === "string") {
    const parsed = BigDecimal.fromString(String(value))
    if (parsed._tag === "Some") return parsed.value
  }
  throw unfit(column, value, "a number")
}

const POWERS_OF_TEN = Array.from({ length: 19 }, (_, i) => 10 ** i)

/**
 * The unscaled integer of a float64 at `scale` without decimal parsing, when that is certainly
 * what the parsing would give; undefined otherwise. `r / 10^s === value` says the decimal r·10^-s
 * reads back as `value` (IEEE division rounds correctly); below 2^50, doubles are closer together
 * than a quarter of 10^-s, so no other decimal of at most `s` fraction digits reads as `value` —
 * r·10^-s is then the value's shortest form, as `String(value)` would give it.
 */
const unscaledNumber = (value: number, scale: number): bigint | undefined => {
  const power = POWERS_OF_TEN[scale]
  if (power === undefined) return undefined
  const r = Math.round(value * power)
  return Math.abs(r) <= 2 ** 50 && r / power === value ? BigInt(r) : undefined
}

/** The unscaled integer of a value at the column's scale; a value with more digits is refused, not rounded. */
const unscaled = (column: Column, value: unknown, scale: number): bigint => {
  const fast = typeof value === "number" ? unscaledNumber(value, scale) : undefined
  if (fast !== undefined) return fast
  const decimal = toDecimal(column, value)
  if (decimal.scale > scale && !BigDecimal.equals(BigDecimal.scale(decimal, scale), decimal)) {
    throw unfit(column, value, `a number with ${scale} fraction digits`)
  }
  return BigDecimal.scale(decimal, scale).value
}

const NANOS_PER_MILLI = 1_000_000n

const epochNanos = (column: Column, value: unknown): bigint => {
  const tagged = value as { _tag?: unknown; epochNanos?: bigint; days?: number }
  if (tagged._tag === "SnowflakeTimestamp") return tagged.epochNanos!
  if (value instanceof Date) return BigInt(value.getTime()) * NANOS_PER_MILLI
  if (DateTime.isDateTime(value)) return BigInt(DateTime.toEpochMillis(value)) * NANOS_PER_MILLI
  throw unfit(column, value, "a timestamp")
}

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q
}

const unitOf = (column: Column, unit: TimestampUnit): "NANOS" | "MICROS" =>
  unit === "nanos" ? "NANOS" : unit === "micros" ? "MICROS" : (column.scale ?? 9) > 6 ? "NANOS" : "MICROS"

const utf8 = (name: string): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: "OPTIONAL"
})

const textOf = (value: unknown): string => (typeof value === "string" ? value : (renderValue(value) ?? ""))

/** How one Snowflake column is written; `name` is the Parquet column name (unique per file). */
export const planColumn = (
  column: Column,
  name: string,
  timestampUnit: TimestampUnit = "auto"
): ColumnPlan => {
  const optional = "OPTIONAL" as const
  switch (column.type) {
    case "fixed": {
      const scale = column.scale ?? 0
      const precision = column.precision ?? 38
      if (scale === 0 && precision <= MAX_INT64_PRECISION) {
        return {
          element: { name, type: "INT64", repetition_type: optional },
          convert: (value) => unscaled(column, value, 0)
        }
      }
      const decimal = { precision, scale }
      const narrowDecimal = { precision: MAX_INT64_PRECISION, scale }
      const narrow =
        precision > MAX_INT64_PRECISION && scale <= MAX_INT64_PRECISION
          ? {
              element: {
                name,
                type: "INT64" as const,
                repetition_type: optional,
                ...(scale === 0
                  ? {}
                  : {
                      converted_type: "DECIMAL" as const,
                      ...narrowDecimal,
                      logical_type: { type: "DECIMAL" as const, ...narrowDecimal }
                    })
              },
              fits: fitsNarrow
            }
          : undefined
      const element: SchemaElement =
        precision <= MAX_INT64_PRECISION
          ? { name, type: "INT64", repetition_type: optional }
          : {
              name,
              type: "FIXED_LEN_BYTE_ARRAY",
              type_length: decimalBytes(precision),
              repetition_type: optional
            }
      return {
        element: {
          ...element,
          converted_type: "DECIMAL",
          ...decimal,
          logical_type: { type: "DECIMAL", ...decimal }
        },
        convert: (value) => unscaled(column, value, scale),
        narrow
      }
    }
    case "real":
    case "float":
    case "double":
      return {
        element: { name, type: "DOUBLE", repetition_type: optional },
        convert: (value) => {
          if (typeof value === "number") return value
          const n = Number(typeof value === "string" ? value : renderValue(value))
          if (Number.isNaN(n) && value !== "NaN") throw unfit(column, value, "a double")
          return n
        }
      }
    case "boolean":
      return {
        element: { name, type: "BOOLEAN", repetition_type: optional },
        convert: (value) => {
          if (typeof value === "boolean") return value
          if (value === "true" || value === "1") return true
          if (value === "false" || value === "0") return false
          throw unfit(column, value, "a boolean")
        }
      }
    case "date":
      return {
        element: {
          name,
          type: "INT32",
          converted_type: "DATE",
          logical_type: { type: "DATE" },
          repetition_type: optional
        },
        convert: (value) => {
          const tagged = value as { _tag?: unknown; days?: number }
          if (tagged._tag === "SnowflakeDate") return tagged.days!
          if (value instanceof Date) return Math.floor(value.getTime() / 86_400_000)
          if (DateTime.isDateTime(value)) return Math.floor(DateTime.toEpochMillis(value) / 86_400_000)
          throw unfit(column, value, "a date")
        }
      }
    case "time": {
      const unit = unitOf(column, timestampUnit)
      return {
        element: {
          name,
          type: "INT64",
          logical_type: { type: "TIME", isAdjustedToUTC: false, unit },
          ...(unit === "MICROS" ? { converted_type: "TIME_MICROS" as const } : {}),
          repetition_type: optional
        },
        convert: (value) => {
          const tagged = value as { _tag?: unknown; nanos?: bigint }
          if (tagged._tag !== "SnowflakeTime") throw unfit(column, value, "a time")
          return unit === "NANOS" ? tagged.nanos! : tagged.nanos! / 1000n
        }
      }
    }
    case "timestamp_ntz":
    case "timestamp_ltz":
    case "timestamp_tz": {
      const unit = unitOf(column, timestampUnit)
      return {
        element: {
          name,
          type: "INT64",
          logical_type: { type: "TIMESTAMP", isAdjustedToUTC: column.type !== "timestamp_ntz", unit },
          ...(unit === "MICROS" ? { converted_type: "TIMESTAMP_MICROS" as const } : {}),
          repetition_type: optional
        },
        convert: (value) => {
          const nanos = epochNanos(column, value)
          return unit === "NANOS" ? nanos : floorDiv(nanos, 1000n)
        }
      }
    }
    case "variant":
    case "object":
    case "array":
    case "map":
      return {
        element: utf8(name),
        convert: (value) => (typeof value === "string" ? value : stringifyLossless(value))
      }
    case "binary":
      return {
        element: { name, type: "BYTE_ARRAY", repetition_type: optional },
        convert: (value) => {
          if (value instanceof Uint8Array) return value
          throw unfit(column, value, "bytes")
        }
      }
    default:
      return { element: utf8(name), convert: textOf }
  }
}
