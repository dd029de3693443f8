/**
 * A small tokenizer for the SQL the builders render: Snowflake's single-quoted strings (backslash
 * escapes, doubled quotes), double-quoted identifiers (doubled quotes), words, numbers and single
 * punctuation. Enough to ask "is this value still one literal?" — a value that escapes its quotes
 * changes the token sequence.
 */
export type Token =
  | { readonly _tag: "string"; readonly value: string }
  | { readonly _tag: "identifier"; readonly value: string }
  | { readonly _tag: "word"; readonly value: string }
  | { readonly _tag: "punct"; readonly value: string }

const simpleEscapes: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  "0": "\0",
  "\\": "\\",
  "'": "'",
  '"': '"'
}

/**
 * Reads a quoted run starting after its opening `quote` at `from`: the quote doubled stands for
 * itself, and in string literals a backslash escapes the next character. Returns the text and
 * where the run ends; throws when it never closes (itself a finding).
 */
const readQuoted = (
  sql: string,
  from: number,
  quote: "'" | '"'
): { readonly value: string; readonly end: number } => {
  let value = ""
  let i = from
  for (;;) {
    if (i >= sql.length)
      throw new Error(`unterminated ${quote === "'" ? "string literal" : "quoted identifier"} in: ${sql}`)
    const d = sql[i]!
    if (quote === "'" && d === "\\") {
      const next = sql[i + 1]
      if (next === undefined) throw new Error(`dangling backslash in: ${sql}`)
      value += simpleEscapes[next] ?? next
      i += 2
    } else if (d === quote) {
      if (sql[i + 1] !== quote) return { value, end: i + 1 }
      value += quote
      i += 2
    } else {
      value += d
      i++
    }
  }
}

/** The tokens of `sql`; throws on an unterminated string or identifier. */
export const tokenize = (sql: string): ReadonlyArray<Token> => {
  const tokens: Array<Token> = []
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === "'" || c === '"') {
      const { value, end } = readQuoted(sql, i + 1, c)
      tokens.push({ _tag: c === "'" ? "string" : "identifier", value })
      i = end
    } else if (/[A-Za-z0-9_$@~%]/.test(c)) {
      let value = ""
      while (i < sql.length && /[A-Za-z0-9_$@~%]/.test(sql[i]!)) value += sql[i++]!
      tokens.push({ _tag: "word", value })
    } else {
      tokens.push({ _tag: "punct", value: c })
      i++
    }
  }
  return tokens
}
