/**
 * A statement as its significant tokens and their upper-cased texts: what the engine's own
 * commands (USE, DDL, SHOW, DESCRIBE) and the DDL passes read names and modifiers from.
 */
import { identifierName, significant, type Token, tokenize } from "./lexer.js"

/** The leading keywords (upper-cased words and punctuation) and the tokens that follow them. */
export interface Words {
  readonly tokens: ReadonlyArray<Token>
  readonly upper: ReadonlyArray<string>
}

export const words = (sql: string): Words => {
  const tokens = significant(tokenize(sql)).filter((t) => !(t.kind === "punct" && t.text === ";"))
  return { tokens, upper: tokens.map((t) => (t.kind === "word" ? t.text.toUpperCase() : t.text)) }
}

/** Reads a dotted object name starting at `index`; returns its parts and the next index. */
export const readName = (w: Words, index: number): { parts: Array<string>; next: number } => {
  const parts: Array<string> = []
  let i = index
  for (let t = w.tokens[i]; t !== undefined; t = w.tokens[i]) {
    if (t.kind !== "word" && t.kind !== "qident" && t.kind !== "string") break
    parts.push(t.kind === "string" ? t.text.slice(1, -1) : identifierName(t))
    i++
    if (w.upper[i] === ".") i++
    else break
  }
  return { parts, next: i }
}

/** Skips `OR REPLACE`, `IF [NOT] EXISTS`, `TEMPORARY` and the like; returns flags and next index. */
export const skipModifiers = (w: Words, index: number) => {
  let i = index
  let orReplace = false
  let ifClause = false
  let temporary = false
  for (;;) {
    const word = w.upper[i]
    if (word === "OR" && w.upper[i + 1] === "REPLACE") {
      orReplace = true
      i += 2
    } else if (word === "IF" && w.upper[i + 1] === "NOT" && w.upper[i + 2] === "EXISTS") {
      ifClause = true
      i += 3
    } else if (word === "IF" && w.upper[i + 1] === "EXISTS") {
      ifClause = true
      i += 2
    } else if (
      word === "TEMP" ||
      word === "TEMPORARY" ||
      word === "LOCAL" ||
      word === "GLOBAL" ||
      word === "VOLATILE"
    ) {
      temporary = true
      i++
    } else if (word === "TRANSIENT" || word === "SECURE" || word === "MATERIALIZED") {
      i++
    } else return { i, orReplace, ifClause, temporary }
  }
}
