/**
 * SQL normalisation for request fingerprints: two texts that Snowflake reads the same way should
 * fingerprint the same, two that it may read differently must not.
 *
 * Rules (docs/simulation.md repeats them for users):
 * - comments (`-- …`, `// …`, `/* … *\/`) are dropped;
 * - whitespace between tokens collapses; the canonical spelling puts one space between tokens,
 *   none before `,` `)` `;` `.` `::` and none after `(` `.` `::`;
 * - unquoted words (keywords and unquoted identifiers, which Snowflake resolves upper-case) are
 *   upper-cased;
 * - string literals (`'…'`, `$$…$$`) and quoted identifiers (`"…"`) are kept byte for byte;
 * - trailing semicolons are dropped (Snowflake ignores them);
 * - numbers, operators and bind markers (`?`, `:1`, `:name`) are kept as written (a bind name
 *   after `:` is upper-cased like any unquoted word);
 * - a stage reference (`@db.schema.stage/path/`, `@%table`, `@~/path`) is one token: its unquoted
 *   name parts upper-cased, its path kept exactly (stage paths are case-sensitive).
 */

import { isReserved, nameParts, quoteIdentifierExact } from "../sql/identifier.js"

type Token = { readonly kind: "word" | "quoted" | "other"; readonly text: string }

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f"
const isWordStart = (c: string) => /[A-Za-z_]/.test(c)
const isWordPart = (c: string) => /[A-Za-z0-9_$]/.test(c)
const isDigit = (c: string) => c >= "0" && c <= "9"

/** Index just past a quoted run that starts at `i` with `quote`; a doubled quote stays inside. */
const skipQuoted = (sql: string, i: number, quote: string, backslashEscapes: boolean): number => {
  let j = i + 1
  while (j < sql.length) {
    const c = sql[j]!
    if (backslashEscapes && c === "\\") {
      j += 2
      continue
    }
    if (c === quote) {
      if (sql[j + 1] === quote) {
        j += 2
        continue
      }
      return j + 1
    }
    j++
  }
  return sql.length
}

/** Index just past a stage reference starting at `i` (`@`): up to whitespace, `;`, `,`, `(` or `)`. */
const skipStage = (sql: string, i: number): number => {
  let j = i + 1
  while (j < sql.length) {
    const c = sql[j]!
    if (c === '"') j = skipQuoted(sql, j, '"', false)
    else if (isSpace(c) || c === ";" || c === "," || c === "(" || c === ")" || c === "'") return j
    else j++
  }
  return j
}

/**
 * The canonical spelling of a stage reference: unquoted name parts upper-cased (Snowflake resolves
 * them so), quoted parts and the path after the first `/` exactly as written.
 */
export const normalizeStage = (stage: string): string => {
  let out = ""
  let j = 0
  while (j < stage.length && stage[j] !== "/") {
    if (stage[j] === '"') {
      const end = skipQuoted(stage, j, '"', false)
      out += stage.slice(j, end)
      j = end
    } else {
      out += stage[j]!.toUpperCase()
      j++
    }
  }
  return out + stage.slice(j)
}

/**
 * The canonical spelling of an object name as SQL writes it (`db.schema."My Table"`): each part
 * resolved as Snowflake resolves it — unquoted upper-cased, quoted exact — then written bare when
 * that reads back the same, quoted otherwise. `people`, `PEOPLE` and `"PEOPLE"` are one name.
 */
export const normalizeObjectName = (name: string): string =>
  nameParts(name)
    .map((part) => {
      const resolved = part.startsWith('"') ? part.slice(1, -1).replaceAll('""', '"') : part.toUpperCase()
      return /^[A-Z_][A-Z0-9_$]*$/.test(resolved) && !isReserved(resolved)
        ? resolved
        : quoteIdentifierExact(resolved)
    })
    .join(".")

/** Splits SQL into tokens, dropping whitespace and comments. Never fails: unknown bytes are tokens. */
export const tokenize = (sql: string): ReadonlyArray<Token> => {
  const tokens: Array<Token> = []
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    const next = sql[i + 1]
    if (isSpace(c)) {
      i++
    } else if ((c === "-" && next === "-") || (c === "/" && next === "/")) {
      const end = sql.indexOf("\n", i)
      i = end === -1 ? sql.length : end + 1
    } else if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2)
      i = end === -1 ? sql.length : end + 2
    } else if (c === "'") {
      const end = skipQuoted(sql, i, "'", true)
      tokens.push({ kind: "quoted", text: sql.slice(i, end) })
      i = end
    } else if (c === '"') {
      const end = skipQuoted(sql, i, '"', false)
      tokens.push({ kind: "quoted", text: sql.slice(i, end) })
      i = end
    } else if (c === "$" && next === "$") {
      const close = sql.indexOf("$$", i + 2)
      const end = close === -1 ? sql.length : close + 2
      tokens.push({ kind: "quoted", text: sql.slice(i, end) })
      i = end
    } else if (c === "@") {
      const end = skipStage(sql, i)
      tokens.push({ kind: "quoted", text: normalizeStage(sql.slice(i, end)) })
      i = end
    } else if (isWordStart(c)) {
      let j = i + 1
      while (j < sql.length && isWordPart(sql[j]!)) j++
      tokens.push({ kind: "word", text: sql.slice(i, j).toUpperCase() })
      i = j
    } else if (isDigit(c) || (c === "." && next !== undefined && isDigit(next))) {
      let j = i + 1
      while (j < sql.length && /[0-9.eE]/.test(sql[j]!)) {
        // An exponent sign belongs to the number: 1e-5.
        if ((sql[j] === "e" || sql[j] === "E") && (sql[j + 1] === "-" || sql[j + 1] === "+")) j++
        j++
      }
      tokens.push({ kind: "other", text: sql.slice(i, j) })
      i = j
    } else {
      // Multi-character operators stay one token so `a<=b` and `a <= b` agree.
      const two = sql.slice(i, i + 2)
      const op = ["::", "<=", ">=", "<>", "!=", "||", "=>", "->"].includes(two) ? two : c
      tokens.push({ kind: "other", text: op })
      i += op.length
    }
  }
  while (tokens.length > 0 && tokens[tokens.length - 1]!.text === ";") tokens.pop()
  return tokens
}

const noSpaceBefore: ReadonlySet<string> = new Set([",", ")", ";", ".", "::"])
const noSpaceAfter: ReadonlySet<string> = new Set(["(", ".", "::", ":"])

/** Canonical spelling of tokens (see the module comment). */
export const render = (tokens: ReadonlyArray<Token>): string => {
  let out = ""
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1]
    const glued =
      previous === undefined ||
      noSpaceBefore.has(token.text) ||
      noSpaceAfter.has(previous.text) ||
      // A word glues to a following `(` so `count (*)` and `COUNT(*)` agree (`IN(1, 2)` too).
      (token.text === "(" && previous.kind === "word")
    out += glued ? token.text : ` ${token.text}`
  })
  return out
}

/** The normalised form of a SQL text. */
export const normalizeSql = (sql: string): string => render(tokenize(sql))
