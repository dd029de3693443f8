/**
 * Snowflake names an unaliased result column after the expression's text (`COUNT(*)`,
 * `CURRENT_DATABASE()`, `A+1`), upper-cased; DuckDB would name it after its own rewritten SQL.
 * So the outermost SELECT's unaliased expressions get an explicit quoted alias before translation.
 */
import { type Token, tokenize } from "./lexer.js"

const END_OF_LIST = new Set([
  "FROM",
  "WHERE",
  "GROUP",
  "HAVING",
  "QUALIFY",
  "ORDER",
  "LIMIT",
  "UNION",
  "INTERSECT",
  "EXCEPT",
  "MINUS",
  "WINDOW",
  "INTO",
  "OFFSET",
  "FETCH"
])

const isSignificant = (t: Token) => t.kind !== "space" && t.kind !== "comment"

const NOT_AN_ALIAS = new Set(["END", "NULL", "TRUE", "FALSE"])

const needsAlias = (item: ReadonlyArray<Token>): boolean => {
  const sig = item.filter(isSignificant)
  if (sig.length === 0) return false
  const last = sig[sig.length - 1] as Token
  const beforeLast = sig[sig.length - 2]
  if (beforeLast?.kind === "word" && beforeLast.text.toUpperCase() === "AS") return false
  // `expr alias`: an identifier right after an operand (not after `.` or an operator)
  const endsInIdentifier =
    last.kind === "qident" || (last.kind === "word" && !NOT_AN_ALIAS.has(last.text.toUpperCase()))
  const afterOperand =
    beforeLast !== undefined &&
    (beforeLast.kind !== "punct" || beforeLast.text === ")" || beforeLast.text === "]") &&
    beforeLast.kind !== "bind"
  if (endsInIdentifier && afterOperand) return false
  // bare column references keep DuckDB's (already Snowflake-like) naming
  return !sig.every(
    (t) =>
      t.kind === "word" || t.kind === "qident" || (t.kind === "punct" && (t.text === "." || t.text === "*"))
  )
}

const aliasFor = (item: ReadonlyArray<Token>): string =>
  item
    .filter((t) => t.kind !== "comment")
    .map((t) => (t.kind === "word" ? t.text.toUpperCase() : t.kind === "space" ? " " : t.text))
    .join("")
    .trim()

export const aliasSelectItems = (sql: string): string => {
  const tokens = tokenize(sql)
  let depth = 0
  let start = -1
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    if (t.kind === "punct" && t.text === "(") depth++
    else if (t.kind === "punct" && t.text === ")") depth--
    else if (depth === 0 && t.kind === "word" && t.text.toUpperCase() === "SELECT") {
      start = i + 1
      break
    }
  }
  if (start < 0) return sql
  const items: Array<Array<Token>> = [[]]
  let end = tokens.length
  depth = 0
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i] as Token
    if (t.kind === "punct" && (t.text === "(" || t.text === "[")) depth++
    if (t.kind === "punct" && (t.text === ")" || t.text === "]")) depth--
    if (
      depth < 0 ||
      (depth === 0 &&
        ((t.kind === "word" && END_OF_LIST.has(t.text.toUpperCase())) ||
          (t.kind === "punct" && t.text === ";")))
    ) {
      end = i
      break
    }
    if (depth === 0 && t.kind === "punct" && t.text === ",") items.push([])
    else (items[items.length - 1] as Array<Token>).push(t)
  }
  const first = items[0] as Array<Token>
  // DISTINCT / ALL / TOP n stay in front of the first item
  const prefix: Array<Token> = []
  while (first.length > 0) {
    const t = first[0] as Token
    const word = t.kind === "word" ? t.text.toUpperCase() : ""
    if (!isSignificant(t) || word === "DISTINCT" || word === "ALL") prefix.push(first.shift() as Token)
    else if (word === "TOP") {
      prefix.push(first.shift() as Token)
      while (first.length > 0 && (!isSignificant(first[0] as Token) || (first[0] as Token).kind === "number"))
        prefix.push(first.shift() as Token)
    } else break
  }
  const rendered = items.map((item) => {
    const body = item.map((t) => t.text).join("")
    if (!needsAlias(item)) return body
    const alias = aliasFor(item)
    return `${body.trimEnd()} AS "${alias.replace(/"/g, '""')}"${body.slice(body.trimEnd().length)}`
  })
  const head = tokens
    .slice(0, start)
    .map((t) => t.text)
    .join("")
  const tail = tokens
    .slice(end)
    .map((t) => t.text)
    .join("")
  return `${head}${prefix.map((t) => t.text).join("")}${rendered.join(",")}${tail}`
}
