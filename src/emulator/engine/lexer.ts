/**
 * A small Snowflake SQL lexer. It knows just enough to keep strings, quoted identifiers,
 * comments and `$$` bodies intact, which is all the engine needs to split statements, fold
 * identifier case, find bind markers and rewrite function calls without a full parser.
 */

export type TokenKind =
  | "word" // unquoted identifier or keyword
  | "qident" // "quoted identifier"
  | "string" // 'literal' (Snowflake allows backslash escapes inside)
  | "dollar" // $$ body $$
  | "number"
  | "bind" // ? or :1 or :name
  | "punct"
  | "space"
  | "comment"

export interface Token {
  readonly kind: TokenKind
  readonly text: string
  readonly start: number
}

const isWordStart = (c: string) => /[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127
const isWordChar = (c: string) => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) > 127
const isDigit = (c: string) => c >= "0" && c <= "9"

/** Tokens that can end an operand: after them a `:` is a path operator, not a bind marker. */
const EXPRESSION_KEYWORDS = new Set([
  "SELECT",
  "WHERE",
  "AND",
  "OR",
  "NOT",
  "BY",
  "THEN",
  "ELSE",
  "WHEN",
  "VALUES",
  "SET",
  "ON",
  "IN",
  "IS",
  "LIKE",
  "ILIKE",
  "BETWEEN",
  "RETURN",
  "CASE",
  "LIMIT",
  "OFFSET",
  "HAVING",
  "QUALIFY",
  "DISTINCT",
  "TOP"
])

const endsOperand = (t: Token | undefined): boolean =>
  t !== undefined &&
  ((t.kind === "word" && !EXPRESSION_KEYWORDS.has(t.text.toUpperCase())) ||
    t.kind === "qident" ||
    t.kind === "string" ||
    t.kind === "number" ||
    (t.kind === "punct" && (t.text === ")" || t.text === "]")))

const MULTI_PUNCT = ["::", "=>", "||", "<=", ">=", "<>", "!=", "->>", "->"]

export const tokenize = (sql: string): Array<Token> => {
  const tokens: Array<Token> = []
  let lastSignificant: Token | undefined
  let i = 0
  const n = sql.length
  const push = (kind: TokenKind, start: number, end: number) => {
    const token = { kind, text: sql.slice(start, end), start }
    tokens.push(token)
    if (kind !== "space" && kind !== "comment") lastSignificant = token
  }
  while (i < n) {
    const c = sql[i] as string
    const start = i
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      while (i < n && /\s/.test(sql[i] as string)) i++
      push("space", start, i)
    } else if ((c === "-" && sql[i + 1] === "-") || (c === "/" && sql[i + 1] === "/")) {
      while (i < n && sql[i] !== "\n") i++
      push("comment", start, i)
    } else if (c === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2)
      i = close < 0 ? n : close + 2
      push("comment", start, i)
    } else if (c === "'") {
      i++
      while (i < n) {
        const d = sql[i]
        if (d === "\\") i += 2
        else if (d === "'" && sql[i + 1] === "'") i += 2
        else if (d === "'") {
          i++
          break
        } else i++
      }
      push("string", start, Math.min(i, n))
    } else if (c === '"') {
      i++
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2
        else if (sql[i] === '"') {
          i++
          break
        } else i++
      }
      push("qident", start, Math.min(i, n))
    } else if (c === "$" && sql[i + 1] === "$") {
      const close = sql.indexOf("$$", i + 2)
      i = close < 0 ? n : close + 2
      push("dollar", start, i)
    } else if (isDigit(c) || (c === "." && isDigit(sql[i + 1] ?? ""))) {
      while (i < n && (isDigit(sql[i] as string) || sql[i] === ".")) i++
      if ((sql[i] === "e" || sql[i] === "E") && /[-+0-9]/.test(sql[i + 1] ?? "")) {
        i += 2
        while (i < n && isDigit(sql[i] as string)) i++
      }
      push("number", start, i)
    } else if (isWordStart(c)) {
      while (i < n && isWordChar(sql[i] as string)) i++
      push("word", start, i)
    } else if (c === "?") {
      i++
      push("bind", start, i)
    } else if (
      c === ":" &&
      sql[i + 1] !== ":" &&
      /[A-Za-z0-9_]/.test(sql[i + 1] ?? "") &&
      !endsOperand(lastSignificant)
    ) {
      i++
      while (i < n && /[A-Za-z0-9_]/.test(sql[i] as string)) i++
      push("bind", start, i)
    } else {
      const multi = MULTI_PUNCT.find((p) => sql.startsWith(p, i))
      i += multi ? multi.length : 1
      push("punct", start, i)
    }
  }
  return tokens
}

/** The significant tokens (no whitespace or comments). */
export const significant = (tokens: ReadonlyArray<Token>): Array<Token> =>
  tokens.filter((t) => t.kind !== "space" && t.kind !== "comment")

/** Snowflake identifier semantics: unquoted folds to upper case, quoted keeps its case. */
export const identifierName = (token: Token): string =>
  token.kind === "qident" ? token.text.slice(1, -1).replace(/""/g, '"') : token.text.toUpperCase()

/** Quotes a name for DuckDB (and Snowflake): always quoted so the case is kept. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

/** A SQL string literal. */
export const quoteString = (value: string): string => `'${value.replace(/'/g, "''")}'`

/** SHOW … LIKE '<pattern>' as a regular expression: `%` any run, `_` one character, case ignored. */
export const likeRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      .replace(/%/g, ".*")
      .replace(/_/g, ".")}$`,
    "i"
  )
