/**
 * CREATE TABLE … (column TYPE, …) AS SELECT: Snowflake takes a typed column list before a CTAS
 * query (the query's columns are converted to those types); DuckDB and polyglot take names only,
 * so it failed as a syntax error (fakesnow#235 was the same). It runs as what it means: the CREATE
 * TABLE with its column list (which keeps declared lengths, lengthDdl.ts), then INSERT INTO the
 * table the query — in one transaction, so a row that does not fit leaves no table behind.
 * A names-only list (`(a, b) AS SELECT`) polyglot translates itself; IF NOT EXISTS is left as it
 * was (the INSERT must not run when the table exists).
 */

import { readName, skipModifiers, type Words } from "./words.js"

export interface TypedCtas {
  /** CREATE [OR REPLACE] [TEMPORARY] TABLE name (column TYPE, …) */
  readonly create: string
  /** INSERT INTO name <query> */
  readonly insert: string
}

export const typedCtas = (sql: string, w: Words): TypedCtas | undefined => {
  if (w.upper[0] !== "CREATE") return undefined
  const mods = skipModifiers(w, 1)
  if (w.upper[mods.i] !== "TABLE") return undefined
  const after = skipModifiers(w, mods.i + 1)
  if (mods.ifClause || after.ifClause) return undefined
  const { parts, next } = readName(w, after.i)
  if (parts.length === 0 || w.upper[next] !== "(") return undefined
  // the column list's end, and whether an item has more than a name (a type)
  let depth = 0
  let close = -1
  let itemTokens = 0
  let typed = false
  for (let i = next; i < w.upper.length; i++) {
    const u = w.upper[i]
    if (u === "(") depth++
    else if (u === ")" && --depth === 0) {
      close = i
      break
    }
    if (depth === 1 && u === ",") itemTokens = 0
    else if (i > next && !(depth === 1 && u === "(")) {
      itemTokens++
      if (itemTokens > 1) typed = true
    }
  }
  const as = w.tokens[close + 1]
  const query = w.tokens[close + 2]
  const nameStart = w.tokens[after.i]
  const columnsStart = w.tokens[next]
  if (!typed || close < 0 || w.upper[close + 1] !== "AS" || as === undefined || query === undefined)
    return undefined
  if (nameStart === undefined || columnsStart === undefined) return undefined
  const name = sql.slice(nameStart.start, columnsStart.start).trim()
  return {
    create: sql.slice(0, as.start).trimEnd(),
    insert: `INSERT INTO ${name} ${sql.slice(query.start)}`
  }
}
