/**
 * The string lengths a Snowflake DDL statement declares, read from its own text (polyglot drops
 * some: CHAR(3) becomes TEXT): CREATE TABLE's column list, ALTER TABLE … ADD [COLUMN] and
 * ALTER TABLE … ALTER | MODIFY [COLUMN] c [SET DATA] TYPE. VARCHAR, STRING, TEXT, NVARCHAR,
 * NVARCHAR2, CHAR VARYING, NCHAR VARYING are VARCHAR(16777216) without a length; CHAR, CHARACTER
 * and NCHAR are VARCHAR(1) without one (Snowflake's CHAR(n) is VARCHAR(n), never padded).
 */

import { MAX_LENGTH } from "./lengths.js"
import { identifierName, type Token } from "./lexer.js"
import { readName, skipModifiers, type Words } from "./words.js"

const VARYING = new Set(["VARCHAR", "STRING", "TEXT", "NVARCHAR", "NVARCHAR2"])
const FIXED = new Set(["CHAR", "CHARACTER", "NCHAR"])
const CONSTRAINT_WORDS = new Set(["CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK"])

/** The length of the string type starting at token `i`; undefined when it is no string type. */
export const typeLength = (w: Words, i: number): number | undefined => {
  const word = w.upper[i] ?? ""
  if (!VARYING.has(word) && !FIXED.has(word)) return undefined
  const varying = VARYING.has(word) || w.upper[i + 1] === "VARYING"
  const open = w.upper[i + 1] === "VARYING" ? i + 2 : i + 1
  const size = w.tokens[open + 1]
  if (w.upper[open] === "(" && size?.kind === "number" && w.upper[open + 2] === ")")
    return Math.min(Number(size.text), MAX_LENGTH)
  return varying ? MAX_LENGTH : 1
}

export interface DeclaredLength {
  readonly column: string
  /** MAX_LENGTH for a string type without a (smaller) length. */
  readonly length: number
}

/** Top-level comma-separated items from `from` to the `)` closing what it is in (or the end). */
const items = (w: Words, from: number): Array<number> => {
  const starts = [from]
  let depth = 0
  for (let i = from; i < w.upper.length; i++) {
    const u = w.upper[i]
    if (u === "(") depth++
    else if (u === ")") {
      if (depth === 0) break
      depth--
    } else if (u === "," && depth === 0) starts.push(i + 1)
  }
  return starts
}

const isName = (t: Token | undefined): t is Token =>
  t !== undefined && (t.kind === "word" || t.kind === "qident")

/** A column definition at `i` (`name type …`) → its declared length, if it is a string column. */
const columnAt = (w: Words, i: number): DeclaredLength | undefined => {
  const name = w.tokens[i]
  if (!isName(name) || CONSTRAINT_WORDS.has(w.upper[i] ?? "")) return undefined
  const length = typeLength(w, i + 1)
  return length === undefined ? undefined : { column: identifierName(name), length }
}

/**
 * CREATE [OR REPLACE] [TEMP…] TABLE [IF NOT EXISTS] name (columns…): where each column definition
 * starts (its name's index in `w`; constraints left out).
 */
export const createTableColumns = (w: Words): Array<number> => {
  if (w.upper[0] !== "CREATE") return []
  const mods = skipModifiers(w, 1)
  if (w.upper[mods.i] !== "TABLE") return []
  const { next } = readName(w, skipModifiers(w, mods.i + 1).i)
  if (w.upper[next] !== "(") return []
  return items(w, next + 1).filter((i) => isName(w.tokens[i]) && !CONSTRAINT_WORDS.has(w.upper[i] ?? ""))
}

/** CREATE TABLE's string columns and their lengths. */
export const createTableLengths = (w: Words): Array<DeclaredLength> =>
  createTableColumns(w).flatMap((i) => columnAt(w, i) ?? [])

export type AlterLengths =
  | { readonly _tag: "Add"; readonly table: Array<string>; readonly columns: Array<DeclaredLength> }
  | {
      readonly _tag: "Type"
      readonly table: Array<string>
      readonly column: string
      /** The new type's length; undefined when it is no string type. */
      readonly length: number | undefined
    }

/** ALTER TABLE … ADD columns, or ALTER | MODIFY one column's type; undefined for anything else. */
export const alterLengths = (w: Words): AlterLengths | undefined => {
  if (w.upper[0] !== "ALTER" || w.upper[1] !== "TABLE") return undefined
  const { parts: table, next } = readName(w, skipModifiers(w, 2).i)
  let i = next
  if (table.length === 0) return undefined
  if (w.upper[i] === "ADD") {
    i += w.upper[i + 1] === "COLUMN" ? 2 : 1
    if (w.upper[i] === "IF" && w.upper[i + 1] === "NOT" && w.upper[i + 2] === "EXISTS") i += 3
    // ADD a INT, b VARCHAR(3): the items after ADD, as if they were a column list
    const columns = items(w, i).flatMap((start) => {
      const at = w.upper[start] === "COLUMN" ? start + 1 : start
      return columnAt(w, at) ?? []
    })
    return { _tag: "Add", table, columns }
  }
  if (w.upper[i] !== "ALTER" && w.upper[i] !== "MODIFY") return undefined
  i += w.upper[i + 1] === "COLUMN" ? 2 : 1
  const name = w.tokens[i]
  // one column only (ALTER a TYPE …, b TYPE … goes to DuckDB as it is)
  if (!isName(name) || items(w, i).length > 1) return undefined
  i++
  if (w.upper[i] === "SET" && w.upper[i + 1] === "DATA" && w.upper[i + 2] === "TYPE") i += 3
  else if (w.upper[i] === "TYPE") i++
  else return undefined
  return { _tag: "Type", table, column: identifierName(name), length: typeLength(w, i) }
}
