/**
 * Translating DuckDB failures into Snowflake errors (PROTOCOL.md §8.1). The message keeps the
 * useful part of DuckDB's text, but always under a Snowflake code and SQLSTATE.
 */
import { EngineError } from "./Engine.js"
import { fromTooLong } from "./lengths.js"

export interface ErrorScope {
  readonly database: string | null
  readonly schema: string | null
  /** The original Snowflake text, to find positions in. */
  readonly sql: string
}

const firstLine = (message: string) => (message.split("\nLINE ")[0] ?? message).trim()

/** Line and position (1-based line, 0-based column) of the first occurrence of `needle`. */
export const positionOf = (sql: string, needle: string): { line: number; pos: number } => {
  const index = Math.max(0, sql.toUpperCase().indexOf(needle.toUpperCase()))
  const before = sql.slice(0, index).split("\n")
  return { line: before.length, pos: (before[before.length - 1] ?? "").length }
}

export const syntaxError = (sql: string, unexpected: string): EngineError => {
  const { line, pos } = positionOf(sql, unexpected)
  return new EngineError(
    "001003",
    "42000",
    `SQL compilation error:\nsyntax error line ${line} at position ${pos} unexpected '${unexpected}'.`,
    { line, pos, type: "COMPILATION" }
  )
}

export const objectMissing = (name: string): EngineError =>
  new EngineError(
    "002003",
    "42S02",
    `SQL compilation error:\nObject '${name}' does not exist or not authorized.`,
    {
      type: "COMPILATION"
    }
  )

export const alreadyExists = (name: string): EngineError =>
  new EngineError("002002", "42710", `SQL compilation error:\nObject '${name}' already exists.`, {
    type: "COMPILATION"
  })

const qualify = (name: string, scope: ErrorScope) => {
  const parts = name.split(".")
  if (parts.length >= 3) return name
  if (parts.length === 2) return `${scope.database ?? ""}.${name}`
  return `${scope.database ?? ""}.${scope.schema ?? ""}.${name}`
}

const unquote = (s: string) => s.replace(/^"|"$/g, "")

export const fromDuckMessage = (raw: string, scope: ErrorScope): EngineError => {
  const tooLongValue = fromTooLong(raw)
  if (tooLongValue !== undefined) return tooLongValue
  const message = firstLine(raw)
  let m: RegExpMatchArray | null
  m = message.match(/^Parser Error: syntax error at or near "(.*)"/)
  if (m) return syntaxError(scope.sql, m[1] as string)
  m = message.match(/^Parser Error: syntax error at end of input/)
  if (m) {
    const lines = scope.sql.split("\n")
    const line = lines.length
    const pos = (lines[lines.length - 1] ?? "").length
    return new EngineError(
      "001003",
      "42000",
      `SQL compilation error:\nsyntax error line ${line} at position ${pos} unexpected '<EOF>'.`,
      { line, pos, type: "COMPILATION" }
    )
  }
  m = message.match(/^Catalog Error: (?:Table|View) with name (.+?) does not exist/)
  if (m) return objectMissing(qualify(unquote(m[1] as string), scope))
  m = message.match(/^Catalog Error: Schema with name (.+?) does not exist/)
  if (m)
    return new EngineError(
      "002003",
      "02000",
      `SQL compilation error:\nSchema '${qualify(unquote(m[1] as string), { ...scope, schema: null }).replace(/\.$/, "")}' does not exist or not authorized.`,
      { type: "COMPILATION" }
    )
  m = message.match(/^Catalog Error: .*? with name (.+?) already exists/)
  if (m) return alreadyExists(unquote(m[1] as string))
  m = message.match(
    /^Catalog Error: (?:Scalar|Table|Aggregate|Macro)? ?Function with name (.+?) does not exist/i
  )
  if (m) {
    const name = unquote(m[1] as string).toUpperCase()
    const { line, pos } = positionOf(scope.sql, name)
    return new EngineError("002140", "42601", `SQL compilation error:\nUnknown function ${name}`, {
      line,
      pos,
      type: "COMPILATION"
    })
  }
  m = message.match(
    /^Binder Error: (?:Referenced column|Values list|Column) "?(.+?)"? (?:not found|does not exist)/
  )
  if (m) {
    const name = unquote(m[1] as string)
    const { line, pos } = positionOf(scope.sql, name)
    return new EngineError(
      "000904",
      "42000",
      `SQL compilation error: error line ${line} at position ${pos}\ninvalid identifier '${name}'`,
      { line, pos, type: "COMPILATION" }
    )
  }
  // DuckDB quotes the value with ' or " depending on the cast's path
  m = message.match(/^Conversion Error: Could not convert string (?:'(.*?)'|"(.*?)") to/)
  if (m) return new EngineError("100038", "22018", `Numeric value '${m[1] ?? m[2]}' is not recognized`)
  m = message.match(/^Conversion Error: invalid date field format: "(.*?)"/)
  if (m) return new EngineError("100040", "22007", `Date '${m[1]}' is not recognized`)
  m = message.match(/^Conversion Error: invalid timestamp field format: "(.*?)"/)
  if (m) return new EngineError("100035", "22007", `Timestamp '${m[1]}' is not recognized`)
  if (/^Conversion Error:.*(out of range|overflow)/i.test(message) || /^Out of Range Error/.test(message))
    return new EngineError(
      "100046",
      "22003",
      `Number out of representable range: ${message.replace(/^[^:]+: /, "")}`
    )
  if (/^INTERRUPT Error/.test(message) || /Interrupted/.test(message))
    return new EngineError("000604", "57014", "SQL execution canceled")
  if (/^Constraint Error: NOT NULL/.test(message))
    return new EngineError("100072", "22000", "NULL result in a non-nullable column")
  if (/^Constraint Error: Duplicate key/.test(message))
    return new EngineError("200001", "22000", "A primary key already exists.")
  if (
    /^Invalid Input Error: Malformed JSON/.test(message) ||
    (/JSON/.test(message) && /^Invalid Input/.test(message))
  )
    return new EngineError("100069", "22P02", `Error parsing JSON: ${message.replace(/^[^:]+: /, "")}`)
  if (/^Conversion Error/.test(message) || /^Invalid Input Error/.test(message))
    return new EngineError("100038", "22018", message.replace(/^[^:]+: /, ""))
  if (/^(Binder|Catalog|Parser|Not implemented) Error/.test(message))
    return new EngineError("002262", "42000", `SQL compilation error:\n${message.replace(/^[^:]+: /, "")}`, {
      type: "COMPILATION"
    })
  return new EngineError("100000", "22000", `SQL execution error: ${message.replace(/^[^:]+: /, "")}`)
}
