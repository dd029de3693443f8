/**
 * `VALUES` as a table, as Snowflake writes it: `SELECT * FROM VALUES (1, 'a'), (2, 'b')` (no
 * parentheses around the list) and with columns named COLUMN1, COLUMN2, … unless an alias list
 * names them. DuckDB needs the list in parentheses and calls its columns col0, col1, …; polyglot
 * passes both through. So, before translation, each VALUES list after FROM, JOIN or `,` in a FROM
 * clause is put in parentheses and given `(COLUMN1, …)` when its alias has no column list.
 */
import { TokenCursor } from "./cursor.js"
import type { Token } from "./lexer.js"

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

const tableWord = (t: Token | undefined) =>
  t !== undefined &&
  ((t.kind === "word" && ["FROM", "JOIN", "USING"].includes(t.text.toUpperCase())) || isPunct(t, ","))

/** Top-level fields of the row `( … )` spanning tokens open..close. */
const width = (tokens: ReadonlyArray<Token>, open: number, close: number) => {
  let depth = 0
  let fields = 1
  for (const t of tokens.slice(open + 1, Math.max(close, open + 1))) {
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
  const cursor = TokenCursor.of(sql)
  const tokens = cursor.tokens
  const at = (index: number) => cursor.at(index)
  const nextSignificant = (from: number) => cursor.nextSignificant(from)
  const previousSignificant = (from: number) => cursor.previousSignificant(from)
  const closingParen = (open: number) => cursor.closing(open)
  const out: Array<string> = []
  let i = 0
  for (let t = at(i); t !== undefined; t = at(i)) {
    const isValues = t.kind === "word" && t.text.toUpperCase() === "VALUES"
    const p1 = isValues ? previousSignificant(i - 1) : -1
    const previous = at(p1)
    // FROM VALUES …, JOIN VALUES …, `, VALUES …` in a FROM list, or one of those before `(VALUES`
    const inFrom =
      tableWord(previous) || (isPunct(previous, "(") && tableWord(at(previousSignificant(p1 - 1))))
    if (!(isValues && inFrom)) {
      out.push(t.text)
      i++
      continue
    }
    // the rows: ( … ) [, ( … )]*
    const first = nextSignificant(i + 1)
    if (!isPunct(at(first), "(")) {
      out.push(t.text)
      i++
      continue
    }
    const columns = width(tokens, first, closingParen(first))
    let end = closingParen(first)
    for (;;) {
      const comma = nextSignificant(end + 1)
      const open = nextSignificant(comma + 1)
      if (comma < 0 || !isPunct(at(comma), ",") || !isPunct(at(open), "(")) break
      end = closingParen(open)
    }
    if (end < 0) return sql
    const rows = tokens
      .slice(i, end + 1)
      .map((x) => x.text)
      .join("")
    // inside parentheses already (`FROM (VALUES …) v(a, b)`): the alias is after the `)`
    const wrapped = isPunct(previous, "(")
    let after = nextSignificant(end + 1)
    if (wrapped) {
      if (!isPunct(at(after), ")")) {
        out.push(t.text)
        i++
        continue
      }
      out.push(rows, ")")
      after = nextSignificant(after + 1)
      i = nextSignificant(end + 1) + 1
    } else {
      out.push("(", rows, ")")
      i = end + 1
    }
    // [AS] alias [(columns)]
    let aliasAt = after
    const word = at(aliasAt)
    if (word?.kind === "word" && word.text.toUpperCase() === "AS") aliasAt = nextSignificant(aliasAt + 1)
    const alias = at(aliasAt)
    const named =
      alias !== undefined &&
      (alias.kind === "qident" || (alias.kind === "word" && !CLAUSE_WORDS.has(alias.text.toUpperCase())))
    if (!named) {
      counter += 1
      out.push(` AS SF_VALUES_${counter}${columnList(columns)}`)
      continue
    }
    const listed = isPunct(at(nextSignificant(aliasAt + 1)), "(")
    if (listed) continue
    // copy up to and including the alias, then name the columns
    out.push(cursor.text(i, aliasAt + 1))
    i = Math.max(i, aliasAt + 1)
    out.push(columnList(columns))
  }
  return out.join("")
}
