/**
 * Bind parameters. Markers (`?`, `:1`, `:name`) are replaced by SQL literals built from the
 * Snowflake bind type, so DuckDB sees fully typed constants (no parameter type inference, and the
 * same path serves describe-only, single and batch execution).
 */
import type { Binding, Bindings } from "./Engine.js"
import { EngineError } from "./Engine.js"
import { quoteString, type Token, tokenize } from "./lexer.js"

const bindError = (message: string) => EngineError.binding(`SQL compilation error: ${message}`)

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/** Epoch text in the unit `perSecond` → DuckDB microseconds expression. */
const epochMicros = (value: string, perSecond: bigint): string => {
  const whole = BigInt(value.split(".")[0] as string)
  return ((whole * 1_000_000n) / perSecond).toString()
}

/** The SQL literal for one bound value. */
export const literal = (type: string, value: string | null): string => {
  if (value === null) return "NULL"
  switch (type.toUpperCase()) {
    case "FIXED":
      if (!NUMERIC.test(value.trim())) throw EngineError.notANumber(value)
      return `(${value.trim()})`
    case "REAL":
      return `CAST(${quoteString(value)} AS DOUBLE)`
    case "BOOLEAN": {
      const v = value.trim().toLowerCase()
      return v === "true" || v === "1" || v === "t" || v === "yes" || v === "on" ? "TRUE" : "FALSE"
    }
    case "DATE":
      // Python sends epoch milliseconds, Node sends text
      return /^-?\d+$/.test(value)
        ? `CAST(make_timestamp(${epochMicros(value, 1000n)}) AS DATE)`
        : `CAST(${quoteString(value)} AS DATE)`
    case "TIME":
      return /^-?\d+$/.test(value)
        ? `CAST(make_timestamp(${epochMicros(value, 1_000_000_000n)}) AS TIME)`
        : `CAST(${quoteString(value)} AS TIME)`
    case "TIMESTAMP_NTZ":
      return /^-?\d+$/.test(value)
        ? `make_timestamp(${epochMicros(value, 1_000_000_000n)})`
        : `CAST(${quoteString(value)} AS TIMESTAMP)`
    case "TIMESTAMP_LTZ":
    case "TIMESTAMP_TZ": {
      const epoch = value.split(" ")[0] as string
      return /^-?\d+$/.test(epoch)
        ? `CAST(make_timestamp(${epochMicros(epoch, 1_000_000_000n)}) AS TIMESTAMP) AT TIME ZONE 'UTC'`
        : `CAST(${quoteString(value)} AS TIMESTAMPTZ)`
    }
    case "BINARY":
      if (!/^[0-9a-fA-F]*$/.test(value)) throw EngineError.notHex(value)
      return `unhex(${quoteString(value)})`
    case "VARIANT":
    case "OBJECT":
    case "ARRAY":
      return `CAST(${quoteString(value)} AS JSON)`
    default:
      return quoteString(value)
  }
}

/** How many bind values the statement expects (`?` count, or the highest `:N`, or distinct names). */
export const countMarkers = (sql: string): number => {
  let positional = 0
  let highest = 0
  const names = new Set<string>()
  for (const t of tokenize(sql)) {
    if (t.kind !== "bind") continue
    if (t.text === "?") positional++
    else if (/^:\d+$/.test(t.text)) highest = Math.max(highest, Number(t.text.slice(1)))
    else names.add(t.text.slice(1).toUpperCase())
  }
  return Math.max(positional, highest) + names.size
}

/** Number of rows of a (possibly batch) binding set: 1 for scalar binds. */
export const batchSize = (bindings: Bindings): number => {
  let size = 1
  for (const b of Object.values(bindings)) if (Array.isArray(b.value)) size = Math.max(size, b.value.length)
  return size
}

const valueAt = (binding: Binding, row: number): string | null =>
  Array.isArray(binding.value)
    ? ((binding.value as ReadonlyArray<string | null>)[row] ?? null)
    : (binding.value as string | null)

const lookupNamed = (bindings: Bindings, name: string): Binding | undefined => {
  const direct = bindings[name]
  if (direct) return direct
  const upper = name.toUpperCase()
  for (const [key, b] of Object.entries(bindings)) if (key.toUpperCase() === upper) return b
  return undefined
}

/** Replaces the markers of `sql` (DuckDB text) with literals for batch row `row`. */
export const substitute = (sql: string, bindings: Bindings, row: number): string => {
  let positional = 0
  return tokenize(sql)
    .map((t: Token) => {
      if (t.kind !== "bind") return t.text
      const key = t.text === "?" ? String(++positional) : t.text.slice(1)
      const binding = /^\d+$/.test(key) ? bindings[key] : lookupNamed(bindings, key)
      if (binding === undefined) throw bindError(`Bind variable ${t.text} not set.`)
      return literal(binding.type, valueAt(binding, row))
    })
    .join("")
}

/** Replaces every marker with NULL (describe-only). */
export const nullMarkers = (sql: string): string =>
  tokenize(sql)
    .map((t) => (t.kind === "bind" ? "NULL" : t.text))
    .join("")
