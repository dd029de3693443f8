/**
 * Bind values → the `bindings` map of a query-request (PROTOCOL.md §5.2).
 *
 * Every value is checked before anything is sent: an unsupported one is an `InvalidBinding`
 * naming the parameter and the kind of value. Encodings (the same the Python connector sends,
 * which the real server accepts for each declared type):
 *
 * | JS value | type | value text |
 * | --- | --- | --- |
 * | string | TEXT | as is |
 * | integer number, bigint | FIXED | exact decimal digits |
 * | BigDecimal | FIXED | exact decimal (`-0.05`) |
 * | other finite number | REAL | `String(n)` |
 * | NaN, ±Infinity | REAL | `NaN`, `inf`, `-inf` |
 * | boolean | BOOLEAN | `true` / `false` |
 * | JS Date, DateTime.Utc | TIMESTAMP_LTZ | epoch nanoseconds |
 * | DateTime.Zoned | TIMESTAMP_TZ | `<epoch ns> <offset minutes + 1440>` |
 * | SnowflakeDate | DATE | epoch milliseconds of midnight UTC |
 * | SnowflakeTime | TIME | nanoseconds since midnight |
 * | SnowflakeTimestamp | TIMESTAMP_NTZ/LTZ/TZ | as above (NTZ: the wall clock read as UTC) |
 * | Uint8Array (Buffer) | BINARY | upper-case hex |
 * | null, undefined | TEXT | null |
 * | plain object, array | VARIANT | JSON text (bigints exact) |
 *
 * Batch binds (`encodeBatchBindings`): one row per inner array; each parameter becomes an array
 * of value texts, typed by its first non-null value; mixing types in a column is rejected.
 */
import * as BigDecimal from "effect/BigDecimal"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import { InvalidBinding } from "../errors/Query.js"
import type { Named, Positional } from "../sql/Query.js"
import { toPlainString } from "./values/decimal.js"
import { SnowflakeDate } from "./values/SnowflakeDate.js"
import { SnowflakeTime } from "./values/SnowflakeTime.js"
import { SnowflakeTimestamp } from "./values/SnowflakeTimestamp.js"
import type { WireBinding } from "./wire/query.js"

export type { WireBinding } from "./wire/query.js"

export type WireBindings = Record<string, WireBinding>

interface Scalar {
  readonly type: string
  readonly value: string | null
}

/** Thrown inside the encoder, turned into `InvalidBinding` at the boundary. */
class Unsupported {
  constructor(readonly reason: string) {}
}

const kindOf = (value: unknown): string => {
  if (value === null) return "null"
  if (typeof value === "function") return "function"
  if (typeof value !== "object") return typeof value
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name
  return typeof name === "string" && name !== "Object" ? `${name} instance` : "object"
}

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const NANOS_PER_MILLI = 1_000_000n

const epochNanosOfMillis = (millis: number): string => (BigInt(millis) * NANOS_PER_MILLI).toString()

const tzText = (epochNanos: string, offsetMinutes: number): string => `${epochNanos} ${offsetMinutes + 1440}`

const hex = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i++) out += (bytes[i]! < 16 ? "0" : "") + bytes[i]!.toString(16)
  return out.toUpperCase()
}

const encodeScalar = (value: unknown): Scalar => {
  switch (typeof value) {
    case "string":
      return { type: "TEXT", value }
    case "number":
      if (Number.isInteger(value)) return { type: "FIXED", value: BigInt(value).toString() }
      if (Number.isFinite(value)) return { type: "REAL", value: String(value) }
      return { type: "REAL", value: Number.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf" }
    case "bigint":
      return { type: "FIXED", value: value.toString() }
    case "boolean":
      return { type: "BOOLEAN", value: value ? "true" : "false" }
    case "undefined":
      return { type: "TEXT", value: null }
    case "object": {
      if (value === null) return { type: "TEXT", value: null }
      if (value instanceof Date) {
        const millis = value.getTime()
        if (Number.isNaN(millis)) throw new Unsupported("an invalid Date")
        return { type: "TIMESTAMP_LTZ", value: epochNanosOfMillis(millis) }
      }
      if (BigDecimal.isBigDecimal(value)) return { type: "FIXED", value: toPlainString(value) }
      if (DateTime.isDateTime(value)) {
        const nanos = epochNanosOfMillis(DateTime.toEpochMillis(value))
        return DateTime.isZoned(value)
          ? { type: "TIMESTAMP_TZ", value: tzText(nanos, Math.round(DateTime.zonedOffset(value) / 60_000)) }
          : { type: "TIMESTAMP_LTZ", value: nanos }
      }
      if (value instanceof SnowflakeDate) return { type: "DATE", value: String(value.days * 86_400_000) }
      if (value instanceof SnowflakeTime) return { type: "TIME", value: String(value.nanosOfDay) }
      if (value instanceof SnowflakeTimestamp) {
        const nanos = value.epochNanos.toString()
        return value.kind === "tz"
          ? { type: "TIMESTAMP_TZ", value: tzText(nanos, value.offsetMinutes) }
          : { type: `TIMESTAMP_${value.kind.toUpperCase()}`, value: nanos }
      }
      if (value instanceof Uint8Array) return { type: "BINARY", value: hex(value) }
      if (Array.isArray(value) || isPlainObject(value)) return { type: "VARIANT", value: toJson(value) }
      throw new Unsupported(`a value of kind ${kindOf(value)}`)
    }
    default:
      throw new Unsupported(`a value of kind ${kindOf(value)}`)
  }
}

/** JSON text for VARIANT binds: bigints and BigDecimals exact, cycles and non-data values rejected. */
export const toJson = (root: unknown): string => {
  const stack = new Set<object>()
  const write = (value: unknown, path: string): string | undefined => {
    switch (typeof value) {
      case "string":
        return JSON.stringify(value)
      case "number":
        if (!Number.isFinite(value))
          throw new Unsupported(`a non-finite number at ${path} (JSON has no NaN/Infinity)`)
        return JSON.stringify(value)
      case "bigint":
        return value.toString()
      case "boolean":
        return value ? "true" : "false"
      case "undefined":
        return undefined
      case "object": {
        if (value === null) return "null"
        if (stack.has(value)) throw new Unsupported(`a cyclic structure at ${path}`)
        if (BigDecimal.isBigDecimal(value)) return toPlainString(value)
        if (
          value instanceof Date ||
          value instanceof SnowflakeDate ||
          value instanceof SnowflakeTime ||
          value instanceof SnowflakeTimestamp
        ) {
          return JSON.stringify(value)
        }
        if (DateTime.isDateTime(value)) return JSON.stringify(DateTime.formatIsoOffset(value))
        if (value instanceof Uint8Array) return JSON.stringify(hex(value))
        stack.add(value)
        try {
          if (Array.isArray(value)) {
            return `[${value.map((item, i) => write(item, `${path}[${i}]`) ?? "null").join(",")}]`
          }
          if (!isPlainObject(value)) throw new Unsupported(`a value of kind ${kindOf(value)} at ${path}`)
          const parts: Array<string> = []
          for (const [key, item] of Object.entries(value)) {
            const text = write(item, `${path}.${key}`)
            if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`)
          }
          return `{${parts.join(",")}}`
        } finally {
          stack.delete(value)
        }
      }
      default:
        throw new Unsupported(`a value of kind ${kindOf(value)} at ${path}`)
    }
  }
  return write(root, "$") ?? "null"
}

const invalid = (parameter: string, reason: string): InvalidBinding =>
  new InvalidBinding({ message: `Cannot bind parameter ${parameter}: ${reason} is not supported` })

const encodeOne = (parameter: string, value: unknown): Either.Either<Scalar, InvalidBinding> => {
  try {
    return Either.right(encodeScalar(value))
  } catch (error) {
    if (error instanceof Unsupported) return Either.left(invalid(parameter, error.reason))
    throw error
  }
}

const encodeEntries = (
  entries: ReadonlyArray<readonly [string, unknown]>
): Either.Either<WireBindings, InvalidBinding> => {
  const out: WireBindings = {}
  for (const [key, value] of entries) {
    const encoded = encodeOne(key, value)
    if (Either.isLeft(encoded)) return Either.left(encoded.left)
    out[key] = encoded.right
  }
  return Either.right(out)
}

/** Positional bindings, keyed "1", "2", … */
export const encodeBindings = (values: ReadonlyArray<unknown>): Either.Either<WireBindings, InvalidBinding> =>
  encodeEntries(values.map((value, i) => [String(i + 1), value] as const))

/** Named bindings, keyed by name (for `:name` placeholders). */
export const encodeNamedBindings = (
  values: Readonly<Record<string, unknown>>
): Either.Either<WireBindings, InvalidBinding> => encodeEntries(Object.entries(values))

/**
 * Batch (array) bindings: `rows[r][p]` is parameter p+1 of row r. Each parameter is sent as one
 * array of value texts, typed by its first non-null value (all-null columns are TEXT).
 */
export const encodeBatchBindings = (
  rows: ReadonlyArray<ReadonlyArray<unknown>>
): Either.Either<WireBindings, InvalidBinding> => {
  if (rows.length === 0) return Either.left(new InvalidBinding({ message: "Cannot bind an empty batch" }))
  const width = rows[0]!.length
  const types = new Array<string | undefined>(width).fill(undefined)
  const columns = Array.from({ length: width }, () => new Array<string | null>(rows.length))
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!
    if (!Array.isArray(row) || row.length !== width) {
      return Either.left(
        new InvalidBinding({
          message: `Cannot bind batch row ${r + 1}: expected ${width} values, got ${Array.isArray(row) ? row.length : kindOf(row)}`
        })
      )
    }
    for (let p = 0; p < width; p++) {
      const encoded = encodeOne(`${p + 1} (row ${r + 1})`, row[p])
      if (Either.isLeft(encoded)) return Either.left(encoded.left)
      const { type, value } = encoded.right
      if (value !== null) {
        const expected = types[p]
        if (expected === undefined) types[p] = type
        else if (expected !== type) {
          return Either.left(
            new InvalidBinding({
              message: `Cannot bind parameter ${p + 1} (row ${r + 1}): ${type} value in a ${expected} column (a batch column needs one type)`
            })
          )
        }
      }
      columns[p]![r] = value
    }
  }
  const out: WireBindings = {}
  for (let p = 0; p < width; p++) out[String(p + 1)] = { type: types[p] ?? "TEXT", value: columns[p]! }
  return Either.right(out)
}

/** The `bindings` of a query-request for a `Query`'s bindings (undefined when it has none). */
export const encodeQueryBindings = (
  bindings: Positional | Named | undefined
): Either.Either<WireBindings | undefined, InvalidBinding> => {
  if (bindings === undefined) return Either.right(undefined)
  if (bindings._tag === "Named") return encodeNamedBindings(bindings.values)
  if (bindings.batch) return encodeBatchBindings(bindings.values as ReadonlyArray<ReadonlyArray<unknown>>)
  return bindings.values.length === 0 ? Either.right(undefined) : encodeBindings(bindings.values)
}
