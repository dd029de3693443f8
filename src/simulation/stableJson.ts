/**
 * Deterministic, diff-friendly JSON for cassettes: object keys in a fixed order (well-known keys
 * first, in the order a reader wants them, then the rest alphabetically, then the bulky `rowtype`
 * and `rows` last), two-space indentation, and arrays and objects of plain values on one line —
 * so a result row, a rowtype column or a bind value is one line and a changed cell a one-line diff.
 */

/** Keys that come first, in this order, wherever they appear. */
const leading = [
  "format",
  "version",
  "context",
  "request",
  "response",
  "operation",
  "sql",
  "bindings",
  "queryId",
  "_tag",
  "message",
  "name",
  "type",
  "value"
]
/** Keys that come last, in this order. */
const trailing = ["rowtype", "rows"]
const rank = new Map([
  ...leading.map((key, i) => [key, i - leading.length] as const),
  ...trailing.map((key, i) => [key, i + 1] as const)
])

const compareKeys = (a: string, b: string): number => {
  const ra = rank.get(a) ?? 0
  const rb = rank.get(b) ?? 0
  return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0
}

const isPlain = (value: unknown): boolean => value === null || typeof value !== "object"

const print = (value: unknown, indent: string): string => {
  if (isPlain(value)) return JSON.stringify(value) ?? "null"
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]"
    if (value.every(isPlain)) return `[${value.map((v) => JSON.stringify(v) ?? "null").join(", ")}]`
    return `[\n${value.map((v) => inner + print(v, inner)).join(",\n")}\n${indent}]`
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compareKeys(a, b))
  if (entries.length === 0) return "{}"
  if (entries.every(([, v]) => isPlain(v))) {
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ")}}`
  }
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${print(v, inner)}`).join(",\n")}\n${indent}}`
}

/** The canonical text of a JSON value, with a final newline. */
export const stringify = (value: unknown): string => `${print(value, "")}\n`

/** A compact canonical key for a JSON value (same key order, no whitespace). */
export const key = (value: unknown): string => {
  if (isPlain(value)) return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) return `[${value.map(key).join(",")}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compareKeys(a, b))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${key(v)}`).join(",")}}`
}
