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

const syntaxError = (sql: string, unexpected: string): EngineError =>
  EngineError.unexpected(unexpected, positionOf(sql, unexpected))

const qualify = (name: string, scope: ErrorScope) => {
  const parts = name.split(".")
  if (parts.length >= 3) return name
  if (parts.length === 2) return `${scope.database ?? ""}.${name}`
  return `${scope.database ?? ""}.${scope.schema ?? ""}.${name}`
}

const unquote = (s: string) => s.replace(/^"|"$/g, "")

/** DuckDB's message without its kind (`Conversion Error: `). */
const withoutKind = (message: string) => message.replace(/^[^:]+: /, "")

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
    return EngineError.unexpected("<EOF>", {
      line: lines.length,
      pos: (lines[lines.length - 1] ?? "").length
    })
  }
  m = message.match(/^Catalog Error: (?:Table|View) with name (.+?) does not exist/)
  if (m) return EngineError.objectNotFound(qualify(unquote(m[1] as string), scope))
  m = message.match(/^Catalog Error: Schema with name (.+?) does not exist/)
  if (m)
    return EngineError.notFound(
      `Schema '${qualify(unquote(m[1] as string), { ...scope, schema: null }).replace(/\.$/, "")}'`,
      "02000",
      { type: "COMPILATION" }
    )
  m = message.match(/^Catalog Error: .*? with name (.+?) already exists/)
  if (m) return EngineError.alreadyExists(unquote(m[1] as string))
  m = message.match(
    /^Catalog Error: (?:Scalar|Table|Aggregate|Macro)? ?Function with name (.+?) does not exist/i
  )
  if (m) {
    const name = unquote(m[1] as string).toUpperCase()
    return EngineError.unknownFunction(name, positionOf(scope.sql, name))
  }
  m = message.match(
    /^Binder Error: (?:Referenced column|Values list|Column) "?(.+?)"? (?:not found|does not exist)/
  )
  if (m) {
    const name = unquote(m[1] as string)
    return EngineError.invalidIdentifier(name, positionOf(scope.sql, name))
  }
  // DuckDB quotes the value with ' or " depending on the cast's path
  m = message.match(/^Conversion Error: Could not convert string (?:'(.*?)'|"(.*?)") to/)
  if (m) return EngineError.notANumber(m[1] ?? m[2] ?? "")
  m = message.match(/^Conversion Error: invalid date field format: "(.*?)"/)
  if (m) return EngineError.notADate(m[1] as string)
  m = message.match(/^Conversion Error: invalid timestamp field format: "(.*?)"/)
  if (m) return EngineError.notATimestamp(m[1] as string)
  if (/^Conversion Error:.*(out of range|overflow)/i.test(message) || /^Out of Range Error/.test(message))
    return EngineError.outOfRange(withoutKind(message))
  if (/^INTERRUPT Error/.test(message) || /Interrupted/.test(message)) return EngineError.canceled()
  if (/^Constraint Error: NOT NULL/.test(message)) return EngineError.notNull()
  if (/^Constraint Error: Duplicate key/.test(message)) return EngineError.duplicateKey()
  if (
    /^Invalid Input Error: Malformed JSON/.test(message) ||
    (/JSON/.test(message) && /^Invalid Input/.test(message))
  )
    return EngineError.notJson(withoutKind(message))
  if (/^Conversion Error/.test(message) || /^Invalid Input Error/.test(message))
    return EngineError.conversion(withoutKind(message))
  if (/^(Binder|Catalog|Parser|Not implemented) Error/.test(message))
    return EngineError.compilation(withoutKind(message))
  return EngineError.execution(withoutKind(message))
}
