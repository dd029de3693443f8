/**
 * Snowflake names an unaliased result column after the expression's text (`COUNT(*)`,
 * `CURRENT_DATABASE()`, `A+1`), upper-cased; DuckDB would name it after its own rewritten SQL.
 * So the outermost SELECT's unaliased expressions get an explicit quoted alias before translation.
 */
import { TokenCursor, textOf } from "./cursor.js"
import type { Token } from "./lexer.js"

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
  const last = sig[sig.length - 1]
  const beforeLast = sig[sig.length - 2]
  if (last === undefined) return false
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
  const cursor = TokenCursor.of(sql)
  const tokens = cursor.tokens
  let depth = 0
  let start = -1
  for (const [i, t] of tokens.entries()) {
    if (t.kind === "punct" && t.text === "(") depth++
    else if (t.kind === "punct" && t.text === ")") depth--
    else if (depth === 0 && t.kind === "word" && t.text.toUpperCase() === "SELECT") {
      start = i + 1
      break
    }
  }
  if (start < 0) return sql
  let item: Array<Token> = []
  const items: Array<Array<Token>> = [item]
  let end = tokens.length
  depth = 0
  for (const [i, t] of tokens.entries()) {
    if (i < start) continue
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
    if (depth === 0 && t.kind === "punct" && t.text === ",") {
      item = []
      items.push(item)
    } else item.push(t)
  }
  // DISTINCT / ALL / TOP n stay in front of the first item
  const [first = [], ...others] = items
  let kept = 0
  const isWord = (t: Token | undefined, word: string) => t?.kind === "word" && t.text.toUpperCase() === word
  while (kept < first.length) {
    const t = first[kept]
    if (t === undefined) break
    if (!isSignificant(t) || isWord(t, "DISTINCT") || isWord(t, "ALL")) kept++
    else if (isWord(t, "TOP")) {
      kept++
      for (
        let n = first[kept];
        n !== undefined && (!isSignificant(n) || n.kind === "number");
        n = first[kept]
      )
        kept++
    } else break
  }
  const prefix = first.slice(0, kept)
  const rendered = [first.slice(kept), ...others].map((tokensOfItem) => {
    const body = textOf(tokensOfItem)
    if (!needsAlias(tokensOfItem)) return body
    const alias = aliasFor(tokensOfItem)
    return `${body.trimEnd()} AS "${alias.replace(/"/g, '""')}"${body.slice(body.trimEnd().length)}`
  })
  return `${cursor.text(0, start)}${textOf(prefix)}${rendered.join(",")}${cursor.text(end)}`
}
