/**
 * `VALUES` as a table, as Snowflake writes it: `SELECT * FROM VALUES (1, 'a'), (2, 'b')` (no
 * parentheses around the list) and with columns named COLUMN1, COLUMN2, … unless an alias list
 * names them. DuckDB needs the list in parentheses and calls its columns col0, col1, …; polyglot
 * passes both through. So, before translation, each VALUES list after FROM, JOIN or `,` in a FROM
 * clause is put in parentheses and given `(COLUMN1, …)` when its alias has no column list.
 */
import { closingParen, type Token, tokenize } from "./lexer.js"

/** Words that end a table reference: not an alias. */
const CLAUSE_WORDS = new Set([
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
  "JOIN",
  "INNER",
  "LEFT",
  "RIGHT",
  "FULL",
  "CROSS",
  "NATURAL",
  "LATERAL",
  "ON",
  "USING",
  "WINDOW",
  "OFFSET",
  "FETCH"
])

const isPunct = (t: Token | undefined, text: string) => t?.kind === "punct" && t.text === text

/** The next significant token's index at or after `from`, or -1. */
const nextSignificant = (tokens: ReadonlyArray<Token>, from: number) => {
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i] as Token
    if (t.kind !== "space" && t.kind !== "comment") return i
  }
  return -1
}

/** The previous significant token's index at or before `from`, or -1. */
const previousSignificant = (tokens: ReadonlyArray<Token>, from: number) => {
  for (let i = from; i >= 0; i--) {
    const t = tokens[i] as Token
    if (t.kind !== "space" && t.kind !== "comment") return i
  }
  return -1
}

const tableWord = (t: Token | undefined) =>
  t !== undefined &&
  ((t.kind === "word" && ["FROM", "JOIN", "USING"].includes(t.text.toUpperCase())) || isPunct(t, ","))

/** Top-level fields of the row `( … )` spanning tokens open..close. */
const width = (tokens: ReadonlyArray<Token>, open: number, close: number) => {
  let depth = 0
  let fields = 1
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i] as Token
    if (isPunct(t, "(") || isPunct(t, "[")) depth++
    else if (isPunct(t, ")") || isPunct(t, "]")) depth--
    else if (depth === 0 && isPunct(t, ",")) fields++
  }
  return fields
}

const columnList = (n: number) => `(${Array.from({ length: n }, (_, i) => `COLUMN${i + 1}`).join(", ")})`

let counter = 0

export const valuesTables = (sql: string): string => {
  if (!/\bVALUES\b/i.test(sql)) return sql
  const tokens = tokenize(sql)
  const out: Array<string> = []
  let i = 0
  while (i < tokens.length) {
    const t = tokens[i] as Token
    const isValues = t.kind === "word" && t.text.toUpperCase() === "VALUES"
    const p1 = isValues ? previousSignificant(tokens, i - 1) : -1
    const previous = tokens[p1]
    // FROM VALUES …, JOIN VALUES …, `, VALUES …` in a FROM list, or one of those before `(VALUES`
    const inFrom =
      tableWord(previous) ||
      (isPunct(previous, "(") && tableWord(tokens[previousSignificant(tokens, p1 - 1)]))
    if (!(isValues && inFrom)) {
      out.push(t.text)
      i++
      continue
    }
    // the rows: ( … ) [, ( … )]*
    const first = nextSignificant(tokens, i + 1)
    if (!isPunct(tokens[first], "(")) {
      out.push(t.text)
      i++
      continue
    }
    const columns = width(tokens, first, closingParen(tokens, first))
    let end = closingParen(tokens, first)
    for (;;) {
      const comma = nextSignificant(tokens, end + 1)
      const open = nextSignificant(tokens, comma + 1)
      if (comma < 0 || !isPunct(tokens[comma], ",") || !isPunct(tokens[open], "(")) break
      end = closingParen(tokens, open)
    }
    if (end < 0) return sql
    const rows = tokens
      .slice(i, end + 1)
      .map((x) => x.text)
      .join("")
    // inside parentheses already (`FROM (VALUES …) v(a, b)`): the alias is after the `)`
    const wrapped = isPunct(previous, "(")
    let after = nextSignificant(tokens, end + 1)
    if (wrapped) {
      if (!isPunct(tokens[after], ")")) {
        out.push(t.text)
        i++
        continue
      }
      out.push(rows, ")")
      after = nextSignificant(tokens, after + 1)
      i = nextSignificant(tokens, end + 1) + 1
    } else {
      out.push("(", rows, ")")
      i = end + 1
    }
    // [AS] alias [(columns)]
    let at = after
    const word = tokens[at]
    if (word?.kind === "word" && word.text.toUpperCase() === "AS") at = nextSignificant(tokens, at + 1)
    const alias = tokens[at]
    const named =
      alias !== undefined &&
      (alias.kind === "qident" || (alias.kind === "word" && !CLAUSE_WORDS.has(alias.text.toUpperCase())))
    if (!named) {
      counter += 1
      out.push(` AS SF_VALUES_${counter}${columnList(columns)}`)
      continue
    }
    const listed = isPunct(tokens[nextSignificant(tokens, at + 1)], "(")
    if (listed) continue
    // copy up to and including the alias, then name the columns
    for (; i <= at; i++) out.push((tokens[i] as Token).text)
    out.push(columnList(columns))
  }
  return out.join("")
}
