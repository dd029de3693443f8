/**
 * Token-level rewrites around the polyglot transpiler: before it, fold unquoted identifiers to
 * upper case (Snowflake's rule; DuckDB then names result columns the way Snowflake does) and send
 * functions polyglot gets wrong to our own macros; after it, fix DuckDB types, JSON text
 * extraction, context functions and INFORMATION_SCHEMA.
 */
import { closingParen, quoteString, significant, type Token, tokenize } from "./lexer.js"

const text = (tokens: ReadonlyArray<Token>) => tokens.map((t) => t.text).join("")

/** Splits the tokens between parentheses into top-level, comma-separated arguments. */
const splitArgs = (tokens: ReadonlyArray<Token>): Array<Array<Token>> => {
  const args: Array<Array<Token>> = [[]]
  let depth = 0
  for (const t of tokens) {
    if (t.kind === "punct" && (t.text === "(" || t.text === "[")) depth++
    if (t.kind === "punct" && (t.text === ")" || t.text === "]")) depth--
    if (depth === 0 && t.kind === "punct" && t.text === ",") args.push([])
    else (args[args.length - 1] as Array<Token>).push(t)
  }
  return args
}

const DATE_PART_FUNCTIONS: Record<string, string> = {
  DATEDIFF: "SF_DATEDIFF",
  TIMEDIFF: "SF_DATEDIFF",
  TIMESTAMPDIFF: "SF_DATEDIFF",
  DATEADD: "SF_DATEADD",
  TIMEADD: "SF_DATEADD",
  TIMESTAMPADD: "SF_DATEADD"
}

/** Parts of a day or longer: adding them keeps a DATE a DATE; shorter parts make it a timestamp. */
const DATE_LEVEL_PARTS = new Set(
  ["year years y yy yyyy yr yrs", "quarter quarters q qtr qtrs", "month months mm mon mons"]
    .concat(["week weeks w wk weekofyear woy wy", "day days d dd dayofmonth"])
    .flatMap((names) => names.split(" "))
)

/** The macro for a DATE_PART_FUNCTIONS call with this (lower-case, quoted) part. */
const datePartMacro = (fn: string, quotedPart: string): string =>
  fn === "SF_DATEADD" && !DATE_LEVEL_PARTS.has(quotedPart.slice(1, -1)) ? "SF_TIMEADD" : fn

/** Plain renames to macros defined in macros.ts (so polyglot leaves them alone). */
const RENAMED: Record<string, string> = {
  ARRAY_SIZE: "SF_ARRAY_SIZE",
  TO_VARCHAR: "SF_TO_TEXT",
  TO_CHAR: "SF_TO_TEXT",
  ZEROIFNULL: "SF_ZEROIFNULL",
  TYPEOF: "SF_TYPEOF",
  TRY_TO_NUMBER: "SF_TRY_TO_NUMBER",
  TRY_TO_DECIMAL: "SF_TRY_TO_NUMBER",
  TRY_TO_NUMERIC: "SF_TRY_TO_NUMBER",
  TO_NUMBER: "SF_TO_NUMBER",
  TO_DECIMAL: "SF_TO_NUMBER",
  TO_NUMERIC: "SF_TO_NUMBER",
  TO_TIMESTAMP_LTZ: "SF_TO_TIMESTAMP_TZ",
  TO_TIMESTAMP_TZ: "SF_TO_TIMESTAMP_TZ",
  TO_TIMESTAMP_NTZ: "SF_TO_TIMESTAMP",
  TO_TIMESTAMP: "SF_TO_TIMESTAMP",
  UNIFORM: "SF_UNIFORM",
  FLATTEN: "SF_FLATTEN",
  TO_BINARY: "SF_TO_BINARY",
  TRY_TO_BINARY: "SF_TO_BINARY",
  // polyglot makes a DuckDB list of it: one element type (ARRAY_CONSTRUCT(1, 'a') fails) and
  // 1-based subscripts. Under a name it does not know it still translates the arguments (variant
  // paths inside), and `renameTranslated` then makes it a JSON array, as Snowflake's ARRAY is.
  ARRAY_CONSTRUCT: "SF_ARRAY_CONSTRUCT",
  // polyglot turns GET(v, 0) into v[1], a list's first element: on a VARIANT (JSON) that is the second
  GET: "SF_GET"
}

/** Calls renamed before polyglot that become DuckDB functions after it (variadic: no macro can be). */
const RENAMED_AFTER: Record<string, string> = {
  SF_ARRAY_CONSTRUCT: "json_array"
}

/**
 * The translated SQL with `RENAMED_AFTER` calls given their DuckDB names, and every
 * `CAST(x AS VARCHAR | TEXT)` made `SF_TO_TEXT(x)` (macros.ts): a VARIANT string cast to text is its
 * text in Snowflake (`v[0]::string` is `a`), where DuckDB keeps the JSON quotes (`"a"`).
 */
export const renameTranslated = (duckSql: string): string => {
  if (!duckSql.includes("SF_ARRAY_CONSTRUCT") && !/\bCAST\s*\(/i.test(duckSql)) return duckSql
  const tokens = tokenize(duckSql)
  const out: Array<string> = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    const next = significant(tokens.slice(i + 1, i + 3))[0]
    const upper = t.kind === "word" ? t.text.toUpperCase() : ""
    const renamed = RENAMED_AFTER[upper]
    if (renamed !== undefined && next?.text === "(") {
      out.push(renamed)
      continue
    }
    if (upper === "CAST" && next?.text === "(") {
      const open = tokens.indexOf(next)
      const close = closingParen(tokens, open)
      const inner = significant(tokens.slice(open + 1, close))
      const as = inner[inner.length - 2]
      const type = inner[inner.length - 1]
      const typeName = type?.text.toUpperCase()
      if (close > 0 && as?.text.toUpperCase() === "AS" && (typeName === "VARCHAR" || typeName === "TEXT")) {
        out.push(`SF_TO_TEXT(${renameTranslated(text(tokens.slice(open + 1, tokens.indexOf(as))))})`)
        i = close
        continue
      }
      // CAST(x AS VARCHAR(n)): fails on a longer string, as Snowflake does (lengths.ts)
      const [sizedAs, sizedType, sizeOpen, size, sizeClose] = inner.slice(-5)
      if (
        close > 0 &&
        sizedAs?.text.toUpperCase() === "AS" &&
        /^(VARCHAR|TEXT)$/i.test(sizedType?.text ?? "") &&
        sizeOpen?.text === "(" &&
        size?.kind === "number" &&
        sizeClose?.text === ")"
      ) {
        const value = renameTranslated(text(tokens.slice(open + 1, tokens.indexOf(sizedAs))))
        out.push(`SF_VARCHAR_CAST(SF_TO_TEXT(${value}), ${size.text})`)
        i = close
        continue
      }
    }
    out.push(t.text)
  }
  return out.join("")
}

/** Snowflake datetime format → strftime (the common elements). */
export const strftimeFormat = (format: string): string =>
  format
    .replace(/YYYY/g, "%Y")
    .replace(/YY/g, "%y")
    .replace(/MON/g, "%b")
    .replace(/MM/g, "%m")
    .replace(/DD/g, "%d")
    .replace(/DY/g, "%a")
    .replace(/HH24/g, "%H")
    .replace(/HH12/g, "%I")
    .replace(/MI/g, "%M")
    .replace(/SS/g, "%S")
    .replace(/FF\d?/g, "%f")
    .replace(/AM|PM/g, "%p")

/**
 * Before polyglot: upper-case unquoted identifiers (but not JSON path keys after `:`, which are
 * case-sensitive), and rewrite functions whose polyglot translation differs from Snowflake.
 */
export const beforeTranspile = (sql: string): string => {
  const tokens = tokenize(sql)
  const out: Array<string> = []
  let inPath = false
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    if (t.kind === "punct" && t.text === ":") {
      inPath = true
      out.push(t.text)
      continue
    }
    if (inPath) {
      if (
        t.kind === "word" ||
        t.kind === "qident" ||
        (t.kind === "punct" && (t.text === "." || t.text === "[" || t.text === "]")) ||
        t.kind === "number" ||
        t.kind === "string"
      ) {
        out.push(t.text)
        continue
      }
      inPath = false
    }
    if (t.kind !== "word") {
      out.push(t.text)
      continue
    }
    const upper = t.text.toUpperCase()
    const next = significant(tokens.slice(i + 1, i + 3))[0]
    const isCall = next?.kind === "punct" && next.text === "("
    if (isCall && upper in DATE_PART_FUNCTIONS) {
      // first argument is a bare date part keyword: make it a string for our macro
      const open = tokens.indexOf(next as Token)
      const close = closingParen(tokens, open)
      const args = splitArgs(tokens.slice(open + 1, close))
      const part = significant(args[0] ?? [])[0]
      if (close > 0 && part && args.length === 3) {
        const partText =
          part.kind === "string" ? part.text.toLowerCase() : quoteString(part.text.toLowerCase())
        const rest = args.slice(1).map((a) => beforeTranspile(text(a)))
        out.push(`${datePartMacro(DATE_PART_FUNCTIONS[upper]!, partText)}(${partText}, ${rest.join(", ")})`)
        i = close
        continue
      }
    }
    if (isCall && (upper === "TO_CHAR" || upper === "TO_VARCHAR")) {
      const open = tokens.indexOf(next as Token)
      const close = closingParen(tokens, open)
      const args = splitArgs(tokens.slice(open + 1, close))
      const format = significant(args[1] ?? [])
      if (close > 0 && args.length === 2 && format.length === 1 && format[0]?.kind === "string") {
        const fmt = strftimeFormat((format[0] as Token).text.slice(1, -1))
        out.push(`STRFTIME(${beforeTranspile(text(args[0] ?? []))}, ${quoteString(fmt)})`)
        i = close
        continue
      }
    }
    if (
      isCall &&
      (upper === "TO_NUMBER" ||
        upper === "TO_DECIMAL" ||
        upper === "TO_NUMERIC" ||
        upper.startsWith("TRY_TO_"))
    ) {
      const open = tokens.indexOf(next as Token)
      const close = closingParen(tokens, open)
      const args = splitArgs(tokens.slice(open + 1, close))
      if (close > 0 && args.length === 3 && upper !== "TRY_TO_DATE") {
        const cast = upper.startsWith("TRY_") ? "TRY_CAST" : "CAST"
        out.push(
          `${cast}(${beforeTranspile(text(args[0] ?? []))} AS DECIMAL(${text(args[1] ?? []).trim()}, ${text(args[2] ?? []).trim()}))`
        )
        i = close
        continue
      }
    }
    if (isCall && upper === "FLATTEN") {
      // FLATTEN(INPUT => expr [, ...]) → SF_FLATTEN(expr); only the input argument is supported
      const open = tokens.indexOf(next as Token)
      const close = closingParen(tokens, open)
      const args = splitArgs(tokens.slice(open + 1, close))
      const input = args.find((a) => significant(a)[0]?.text.toUpperCase() === "INPUT") ?? args[0] ?? []
      const sig = significant(input)
      const exprTokens = sig[1]?.text === "=>" ? input.slice(input.indexOf(sig[1] as Token) + 1) : input
      out.push(`SF_FLATTEN(${beforeTranspile(text(exprTokens))})`)
      i = close
      continue
    }
    if (isCall && upper in RENAMED) {
      out.push(RENAMED[upper] as string)
      continue
    }
    out.push(upper)
  }
  return out.join("")
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

export interface SessionFacts {
  readonly database: string | null
  readonly schema: string | null
  readonly warehouse: string | null
  readonly role: string | null
  readonly user: string
  readonly sessionId: string
}

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

/**
 * After polyglot, on DuckDB text: map Snowflake type names left over, make JSON extraction that
 * is cast to text unquote (`->>`), answer context functions from the session, and point
 * INFORMATION_SCHEMA views at our table macros.
 */
export const afterTranspile = (sql: string, facts: SessionFacts): string => {
  const tokens = tokenize(sql)
  const out: Array<string> = []
  let prev: Token | undefined
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    const upper = t.kind === "word" ? t.text.toUpperCase() : ""
    const rest = significant(tokens.slice(i + 1, i + 6))
    if (t.kind === "word" && upper in CONTEXT_FUNCTIONS && rest[0]?.text === "(" && rest[1]?.text === ")") {
      const value = (CONTEXT_FUNCTIONS[upper] as (f: SessionFacts) => string | null)(facts)
      out.push(value === null ? "CAST(NULL AS VARCHAR)" : quoteString(value))
      i = tokens.indexOf(rest[1] as Token)
      prev = rest[1]
      continue
    }
    if (
      t.kind === "word" &&
      upper === "INFORMATION_SCHEMA" &&
      rest[0]?.text === "." &&
      // polyglot quotes some view names (INFORMATION_SCHEMA."COLUMNS")
      INFORMATION_SCHEMA_VIEWS.has((rest[1]?.text ?? "").replace(/^"(.*)"$/, "$1").toUpperCase())
    ) {
      // [DB.]INFORMATION_SCHEMA.VIEW
      const view = (rest[1] as Token).text.replace(/^"(.*)"$/, "$1").toUpperCase()
      let database = facts.database
      if (prev?.kind === "punct" && prev.text === "." && out.length >= 2) {
        out.pop() // "."
        const dbText = out.pop() as string
        database = dbText.startsWith('"') ? dbText.slice(1, -1) : dbText.toUpperCase()
      }
      out.push(`SF_IS_${view}(${quoteString(database ?? "")})`)
      const after = significant(
        tokens.slice(tokens.indexOf(rest[1] as Token) + 1, tokens.indexOf(rest[1] as Token) + 3)
      )[0]
      const hasAlias =
        after !== undefined &&
        (after.kind === "qident" || (after.kind === "word" && !CLAUSE_WORDS.has(after.text.toUpperCase())))
      if (!hasAlias) out.push(` AS "${view}"`)
      i = tokens.indexOf(rest[1] as Token)
      prev = rest[1]
      continue
    }
    if (
      t.kind === "word" &&
      upper in TYPE_REPLACEMENTS &&
      isTypePosition(prev, rest[0]) &&
      rest[0]?.text !== "("
    ) {
      out.push(TYPE_REPLACEMENTS[upper] as string)
    } else if (
      t.kind === "word" &&
      (upper === "TIMESTAMPNTZ" || upper === "TIMESTAMPLTZ") &&
      isTypePosition(prev, rest[0])
    ) {
      // TIMESTAMP_NTZ(9): DuckDB has no precision on timestamps
      out.push(TYPE_REPLACEMENTS[upper] as string)
      const close = closingParen(tokens, tokens.indexOf(rest[0] as Token))
      if (close > 0) i = close
    } else if (
      t.kind === "word" &&
      (upper === "TIME" || upper === "BLOB") &&
      // CAST(x AS TIME(3)): after AS a name followed by "(" can only be a type
      (isTypePosition(prev, rest[0]) || (prev?.kind === "word" && prev.text.toUpperCase() === "AS")) &&
      rest[0]?.text === "(" &&
      /^\d+$/.test(rest[1]?.text ?? "") &&
      rest[2]?.text === ")"
    ) {
      // TIME(3), BINARY(16) (BLOB(16) by now): DuckDB's TIME and BLOB take no size
      out.push(t.text)
      i = tokens.indexOf(rest[2] as Token)
      prev = rest[2]
      continue
    } else if (
      t.kind === "word" &&
      upper === "ARRAY" &&
      isTypePosition(prev, rest[0]) &&
      rest[0]?.text !== "[" &&
      rest[0]?.text !== "("
    ) {
      out.push("JSON")
    } else if (t.kind === "word" && upper === "CAST" && rest[0]?.text === "(") {
      // CAST(json -> 'path' AS TEXT) → json ->> 'path' (Snowflake's ::STRING gives the bare string)
      const open = tokens.indexOf(rest[0] as Token)
      const close = closingParen(tokens, open)
      const inner = tokens.slice(open + 1, close)
      const sig = significant(inner)
      const asIndex = sig.length >= 2 ? sig.length - 2 : -1
      const target = sig[sig.length - 1]?.text.toUpperCase()
      const arrow = sig.findIndex((x, k) => x.text === "->" && k === sig.length - 4)
      if (
        close > 0 &&
        asIndex > 0 &&
        sig[asIndex]?.text.toUpperCase() === "AS" &&
        (target === "TEXT" || target === "VARCHAR") &&
        arrow > 0
      ) {
        const exprTokens = inner.slice(0, inner.indexOf(sig[asIndex] as Token))
        out.push(`(${afterTranspile(text(exprTokens).replace(/->(?=\s*'[^']*'\s*$)/, "->>"), facts)})`)
        i = close
        prev = tokens[close]
        continue
      }
      out.push(t.text)
    } else if (
      t.kind === "string" &&
      rest[0]?.text.toUpperCase() === "AS" &&
      rest[1]?.text.toUpperCase() === "TIMESTAMPTZ" &&
      rest[2]?.text === ")" &&
      opensCast(tokens, i)
    ) {
      // CAST('2024-01-02 03:04:05 +05:30' AS TIMESTAMPTZ): Snowflake's own format has a space
      // before the offset, which DuckDB would read as the start of a zone name
      out.push(t.text.replace(/\s+([+-]\d{2}:?\d{2})'$/, "$1'"))
    } else {
      out.push(t.text)
    }
    if (t.kind !== "space" && t.kind !== "comment") prev = t
  }
  return out.join("")
}

/** Whether the token at `i` comes right after `CAST (` or `TRY_CAST (`. */
const opensCast = (tokens: ReadonlyArray<Token>, i: number) => {
  const before = significant(tokens.slice(Math.max(0, i - 6), i))
  const open = before[before.length - 1]
  const cast = before[before.length - 2]?.text.toUpperCase()
  return open?.text === "(" && (cast === "CAST" || cast === "TRY_CAST")
}
