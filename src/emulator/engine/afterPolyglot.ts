/**
 * The rules of the walks after polyglot, on DuckDB text: calls renamed before it get their DuckDB
 * names, casts to text keep Snowflake's meaning, Snowflake type names left over become DuckDB's,
 * JSON extraction cast to text unquotes, context functions are answered from the session and
 * INFORMATION_SCHEMA views point at our table macros. Listed in order in transpile.ts.
 */
import { type Rule, type TokenCursor, textOf } from "./cursor.js"
import { quoteString, significant, type Token } from "./lexer.js"

const upperWord = (t: Token | undefined) => (t?.kind === "word" ? t.text.toUpperCase() : "")

/** The inside of `CAST(`…`)` at the cursor: its tokens (significant ones too) and the `)`. */
const castAt = (cursor: TokenCursor) => {
  if (cursor.word !== "CAST") return undefined
  const next = cursor.ahead(2)[0]
  if (next?.text !== "(") return undefined
  const open = cursor.indexOf(next)
  const close = cursor.closing(open)
  const inner = cursor.tokens.slice(open + 1, close < 0 ? undefined : close)
  return { open, close, inner, significant: significant(inner) }
}

// ── after polyglot, cached with its output ──────────────────────────────────────────────────

/** Calls renamed before polyglot that become DuckDB functions after it (variadic: no macro can be). */
const RENAMED_AFTER: Record<string, string> = {
  SF_ARRAY_CONSTRUCT: "json_array"
}

/** Whether the walk of `renamedAfterPolyglot`, `textCasts` and `sizedTextCasts` can change `duckSql`. */
export const mayRenameOrCast = (duckSql: string): boolean =>
  duckSql.includes("SF_ARRAY_CONSTRUCT") || /\bCAST\s*\(/i.test(duckSql)

/** SF_ARRAY_CONSTRUCT( → json_array(. */
export const renamedAfterPolyglot: Rule = {
  name: "calls renamed to DuckDB's",
  apply: (cursor) => {
    const renamed = RENAMED_AFTER[cursor.word]
    if (renamed === undefined || cursor.ahead(2)[0]?.text !== "(") return undefined
    cursor.advance()
    return renamed
  }
}

/**
 * CAST(x AS VARCHAR | TEXT) → SF_TO_TEXT(x) (macros.ts): a VARIANT string cast to text is its
 * text in Snowflake (`v[0]::string` is `a`), where DuckDB keeps the JSON quotes (`"a"`).
 */
export const textCasts: Rule = {
  name: "casts to text",
  apply: (cursor, _, again) => {
    const cast = castAt(cursor)
    if (cast === undefined || cast.close <= 0) return undefined
    const as = cast.significant[cast.significant.length - 2]
    const type = upperWord(cast.significant[cast.significant.length - 1])
    if (upperWord(as) !== "AS" || (type !== "VARCHAR" && type !== "TEXT")) return undefined
    cursor.skipPast(cast.close)
    return `SF_TO_TEXT(${again(cursor.text(cast.open + 1, cursor.indexOf(as)))})`
  }
}

/** CAST(x AS VARCHAR(n)): fails on a longer string, as Snowflake does (lengths.ts). */
export const sizedTextCasts: Rule = {
  name: "casts to text of a length",
  apply: (cursor, _, again) => {
    const cast = castAt(cursor)
    if (cast === undefined || cast.close <= 0) return undefined
    const [as, type, open, size, close] = cast.significant.slice(-5)
    if (
      upperWord(as) !== "AS" ||
      !/^(VARCHAR|TEXT)$/i.test(type?.text ?? "") ||
      open?.text !== "(" ||
      size?.kind !== "number" ||
      close?.text !== ")"
    )
      return undefined
    cursor.skipPast(cast.close)
    return `SF_VARCHAR_CAST(SF_TO_TEXT(${again(cursor.text(cast.open + 1, cursor.indexOf(as)))}), ${size.text})`
  }
}

/**
 * polyglot turns SEQn() directly in a GENERATOR's select list into `range % 2^(8n)`, but anywhere
 * else (inside an expression such as `'x' || SEQ8()`, in a subquery, in WHERE) into
 * `(ROW_NUMBER() OVER (ORDER BY 1 NULLS FIRST) - 1) % 2^(8n)`: a window that makes DuckDB
 * materialise the whole input, once per occurrence. When the statement reads exactly one
 * GENERATOR (`FROM RANGE(n)`), `range` is that generator's row number, so use it everywhere.
 * `% 2^64` is dropped: `range` is a BIGINT that never reaches 2^63, and the modulo made every
 * SEQ8 a HUGEINT (slow to compute and to encode). (On the text: the shapes are polyglot's own.)
 */
const ROW_NUMBER_SEQ = /\(ROW_NUMBER\(\) OVER \(ORDER BY 1 NULLS FIRST\) - 1\) % (\d+)/g
const SEQ8_MODULO = /\brange % 18446744073709551616\b/g

export const generatorSeq = (duckSql: string): string => {
  const generators = duckSql.match(/\bRANGE\s*\(/gi)?.length ?? 0
  if (generators !== 1 || !/\bFROM\s+RANGE\s*\(/i.test(duckSql)) return duckSql
  return duckSql.replace(ROW_NUMBER_SEQ, "range % $1").replace(SEQ8_MODULO, "range")
}

// ── per execution: the session's facts ───────────────────────────────────────────────────────

export interface SessionFacts {
  readonly database: string | null
  readonly schema: string | null
  readonly warehouse: string | null
  readonly role: string | null
  readonly user: string
  readonly sessionId: string
}

/** The significant tokens among the five after the cursor's (the rules' lookahead). */
const rest = (cursor: TokenCursor) => cursor.ahead(5)

const CONTEXT_FUNCTIONS: Record<string, (f: SessionFacts) => string | null> = {
  CURRENT_DATABASE: (f) => f.database,
  CURRENT_SCHEMA: (f) => f.schema,
  CURRENT_WAREHOUSE: (f) => f.warehouse,
  CURRENT_ROLE: (f) => f.role,
  CURRENT_USER: (f) => f.user,
  CURRENT_SESSION: (f) => f.sessionId,
  CURRENT_ACCOUNT: () => "EMULATOR",
  CURRENT_REGION: () => "LOCAL",
  CURRENT_VERSION: () => "8.0.0"
}

/** CURRENT_DATABASE() and the like: the session's value, as a literal. */
export const contextFunctions: Rule<SessionFacts> = {
  name: "context functions",
  apply: (cursor, facts) => {
    const answer = CONTEXT_FUNCTIONS[cursor.word]
    if (answer === undefined) return undefined
    const [open, close] = rest(cursor)
    if (open?.text !== "(" || close?.text !== ")") return undefined
    const value = answer(facts)
    cursor.skipPast(cursor.indexOf(close))
    return value === null ? "CAST(NULL AS VARCHAR)" : quoteString(value)
  }
}

const INFORMATION_SCHEMA_VIEWS = new Set(["TABLES", "COLUMNS", "SCHEMATA", "VIEWS", "DATABASES"])
const CLAUSE_WORDS = new Set([
  "WHERE",
  "GROUP",
  "ORDER",
  "LIMIT",
  "JOIN",
  "LEFT",
  "RIGHT",
  "INNER",
  "OUTER",
  "FULL",
  "CROSS",
  "ON",
  "UNION",
  "EXCEPT",
  "INTERSECT",
  "QUALIFY",
  "HAVING",
  "NATURAL",
  "USING",
  "WINDOW",
  "OFFSET"
])

/** polyglot quotes some view names (INFORMATION_SCHEMA."COLUMNS"). */
const viewName = (t: Token | undefined) => (t?.text ?? "").replace(/^"(.*)"$/, "$1").toUpperCase()

/**
 * [DB.]INFORMATION_SCHEMA.VIEW → SF_IS_VIEW('DB') AS "VIEW" (our table macros, macros.ts), in
 * the current database when none is named; the alias only when the statement gives none.
 */
export const informationSchema: Rule<SessionFacts> = {
  name: "INFORMATION_SCHEMA views",
  apply: (cursor, facts) => {
    // DB.INFORMATION_SCHEMA: the database is read at its own token
    const named = cursor.current
    if (named?.kind !== "word" && named?.kind !== "qident") return undefined
    const prefixed =
      (named?.kind === "word" || named?.kind === "qident") &&
      cursor.at(cursor.index + 1)?.text === "." &&
      cursor.wordAt(cursor.index + 2) === "INFORMATION_SCHEMA"
    const at = prefixed ? cursor.index + 2 : cursor.index
    if (cursor.wordAt(at) !== "INFORMATION_SCHEMA") return undefined
    const [dot, view] = significant(cursor.tokens.slice(at + 1, at + 6))
    if (dot?.text !== "." || !INFORMATION_SCHEMA_VIEWS.has(viewName(view))) return undefined
    const database =
      prefixed && named !== undefined
        ? named.text.startsWith('"')
          ? named.text.slice(1, -1)
          : named.text.toUpperCase()
        : facts.database
    const end = cursor.indexOf(view)
    const after = significant(cursor.tokens.slice(end + 1, end + 3))[0]
    const hasAlias =
      after !== undefined &&
      (after.kind === "qident" || (after.kind === "word" && !CLAUSE_WORDS.has(after.text.toUpperCase())))
    cursor.skipPast(end)
    const name = viewName(view)
    return `SF_IS_${name}(${quoteString(database ?? "")})${hasAlias ? "" : ` AS "${name}"`}`
  }
}

const KEYWORDS_BEFORE_VALUES = new Set([
  "SELECT",
  "FROM",
  "WHERE",
  "AND",
  "OR",
  "NOT",
  "THEN",
  "ELSE",
  "WHEN",
  "BY",
  "ON",
  "JOIN",
  "DISTINCT",
  "CASE",
  "IN",
  "IS",
  "RETURN",
  "VALUES",
  "SET",
  "HAVING",
  "QUALIFY",
  "LIMIT",
  "END",
  "TABLE",
  "INTO",
  "WITH",
  "UNION",
  "ALL"
])

/** Whether a word after `prev` (and before `next`) is a data type rather than an identifier. */
const isTypePosition = (prev: Token | undefined, next: Token | undefined) => {
  if (prev === undefined) return false
  if (prev.kind === "punct") return prev.text === "::"
  if (prev.kind === "qident") return true
  if (prev.kind !== "word") return false
  const word = prev.text.toUpperCase()
  if (word === "AS") return next?.text === ")"
  return !KEYWORDS_BEFORE_VALUES.has(word)
}

const TYPE_REPLACEMENTS: Record<string, string> = {
  TIMESTAMPNTZ: "TIMESTAMP",
  TIMESTAMP_NTZ: "TIMESTAMP",
  DATETIME: "TIMESTAMP",
  TIMESTAMPLTZ: "TIMESTAMPTZ",
  TIMESTAMP_LTZ: "TIMESTAMPTZ",
  TIMESTAMP_TZ: "TIMESTAMPTZ",
  VARIANT: "JSON",
  OBJECT: "JSON",
  INT: "DECIMAL(38, 0)",
  INTEGER: "DECIMAL(38, 0)",
  BIGINT: "DECIMAL(38, 0)",
  SMALLINT: "DECIMAL(38, 0)",
  TINYINT: "DECIMAL(38, 0)",
  BYTEINT: "DECIMAL(38, 0)",
  NUMBER: "DECIMAL(38, 0)",
  STRING: "VARCHAR",
  TEXT: "VARCHAR"
}

/** Snowflake type names polyglot left (VARIANT, TIMESTAMP_NTZ, NUMBER, …) as DuckDB's. */
export const typeNames: Rule<SessionFacts> = {
  name: "Snowflake type names",
  apply: (cursor) => {
    const replacement = TYPE_REPLACEMENTS[cursor.word]
    if (replacement === undefined) return undefined
    const next = rest(cursor)[0]
    if (!isTypePosition(cursor.behind(), next) || next?.text === "(") return undefined
    cursor.advance()
    return replacement
  }
}

/** TIMESTAMP_NTZ(9) → TIMESTAMP: DuckDB has no precision on timestamps. */
export const timestampPrecision: Rule<SessionFacts> = {
  name: "timestamp precision",
  apply: (cursor) => {
    const upper = cursor.word
    if (upper !== "TIMESTAMPNTZ" && upper !== "TIMESTAMPLTZ") return undefined
    const next = rest(cursor)[0]
    if (!isTypePosition(cursor.behind(), next)) return undefined
    const close = cursor.closing(cursor.indexOf(next))
    if (close > 0) cursor.skipPast(close)
    else cursor.advance()
    return TYPE_REPLACEMENTS[upper]
  }
}

/** TIME(3), BINARY(16) (BLOB(16) by now) → TIME, BLOB: DuckDB's take no size. */
export const sizelessTimeAndBlob: Rule<SessionFacts> = {
  name: "TIME and BINARY sizes",
  apply: (cursor) => {
    const t = cursor.current
    const upper = cursor.word
    if (upper !== "TIME" && upper !== "BLOB") return undefined
    const [open, size, close] = rest(cursor)
    const prev = cursor.behind()
    // CAST(x AS TIME(3)): after AS a name followed by "(" can only be a type
    const typePosition = isTypePosition(prev, open) || upperWord(prev) === "AS"
    if (
      t === undefined ||
      (upper !== "TIME" && upper !== "BLOB") ||
      !typePosition ||
      open?.text !== "(" ||
      !/^\d+$/.test(size?.text ?? "") ||
      close?.text !== ")"
    )
      return undefined
    cursor.skipPast(cursor.indexOf(close))
    return t.text
  }
}

/** ARRAY as a type (not ARRAY[…] nor ARRAY(…)) → JSON, as Snowflake's ARRAY is. */
export const arrayType: Rule<SessionFacts> = {
  name: "ARRAY type",
  apply: (cursor) => {
    if (cursor.word !== "ARRAY") return undefined
    const next = rest(cursor)[0]
    if (!isTypePosition(cursor.behind(), next) || next?.text === "[" || next?.text === "(") return undefined
    cursor.advance()
    return "JSON"
  }
}

/** CAST(json -> 'path' AS TEXT) → (json ->> 'path'): Snowflake's ::STRING gives the bare string. */
export const jsonTextCast: Rule<SessionFacts> = {
  name: "JSON extraction cast to text",
  apply: (cursor, _, again) => {
    const cast = castAt(cursor)
    if (cast === undefined || cast.close <= 0) return undefined
    const sig = cast.significant
    const asIndex = sig.length >= 2 ? sig.length - 2 : -1
    const target = sig[sig.length - 1]?.text.toUpperCase()
    const arrow = sig.findIndex((x, k) => x.text === "->" && k === sig.length - 4)
    const as = sig[asIndex]
    if (
      as === undefined ||
      asIndex <= 0 ||
      upperWord(as) !== "AS" ||
      (target !== "TEXT" && target !== "VARCHAR") ||
      arrow <= 0
    )
      return undefined
    const expression = textOf(cast.inner.slice(0, cast.inner.indexOf(as)))
    cursor.skipPast(cast.close)
    return `(${again(expression.replace(/->(?=\s*'[^']*'\s*$)/, "->>"))})`
  }
}

/**
 * CAST('2024-01-02 03:04:05 +05:30' AS TIMESTAMPTZ): Snowflake's own format has a space before the
 * offset, which DuckDB would read as the start of a zone name.
 */
export const timestampTzLiteral: Rule<SessionFacts> = {
  name: "TIMESTAMPTZ literals",
  apply: (cursor) => {
    const t = cursor.current
    if (t?.kind !== "string") return undefined
    const [as, type, close] = rest(cursor)
    const before = significant(cursor.tokens.slice(Math.max(0, cursor.index - 6), cursor.index))
    const castName = before[before.length - 2]?.text.toUpperCase()
    const opensCast =
      before[before.length - 1]?.text === "(" && (castName === "CAST" || castName === "TRY_CAST")
    if (
      t?.kind !== "string" ||
      as?.text.toUpperCase() !== "AS" ||
      type?.text.toUpperCase() !== "TIMESTAMPTZ" ||
      close?.text !== ")" ||
      !opensCast
    )
      return undefined
    cursor.advance()
    return t.text.replace(/\s+([+-]\d{2}:?\d{2})'$/, "$1'")
  }
}
