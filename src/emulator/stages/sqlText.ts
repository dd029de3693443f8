/**
 * A small reader for the stage statements (PUT, GET, LIST, REMOVE, COPY INTO, CREATE STAGE).
 * Their syntax (`@~/dir`, `@%t`, `file:///tmp/*.csv`, `KEY = (TYPE = CSV …)`) is not SQL the
 * engine's lexer knows, so they get their own tokens: quoted strings, punctuation `= ( ) ,` and
 * bare runs of anything else (which may embed `"quoted"` parts, as in `@db."My Stage"/x`).
 */

export type StageToken =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "punct"; readonly value: "=" | "(" | ")" | "," }
  | { readonly kind: "bare"; readonly value: string }

const unescapeString = (body: string) =>
  body
    .replace(/''/g, "'")
    .replace(/\\(.)/g, (_, ch: string) =>
      ch === "n" ? "\n" : ch === "t" ? "\t" : ch === "r" ? "\r" : ch === "0" ? "\0" : ch
    )

export const stageTokens = (sql: string): Array<StageToken> => {
  const tokens: Array<StageToken> = []
  let i = 0
  while (i < sql.length) {
    const c = sql[i] as string
    if (/\s|;/.test(c)) {
      i++
    } else if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2)
      i = end < 0 ? sql.length : end + 2
    } else if (c === "'") {
      let j = i + 1
      while (j < sql.length) {
        if (sql[j] === "\\") j += 2
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2
        else if (sql[j] === "'") break
        else j++
      }
      tokens.push({ kind: "string", value: unescapeString(sql.slice(i + 1, j)) })
      i = j + 1
    } else if (c === "=" || c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: "punct", value: c })
      i++
    } else {
      let j = i
      while (j < sql.length && !/[\s=(),;']/.test(sql[j] as string)) {
        if (sql[j] === '"') {
          const end = sql.indexOf('"', j + 1)
          j = end < 0 ? sql.length : end + 1
        } else j++
      }
      tokens.push({ kind: "bare", value: sql.slice(i, j) })
      i = j
    }
  }
  return tokens
}

export const upper = (t: StageToken | undefined): string =>
  t === undefined ? "" : t.kind === "bare" ? t.value.toUpperCase() : t.value

/** A dotted name with Snowflake case folding: `db."My Stage"` → ["DB", "My Stage"]. */
export const nameParts = (text: string): Array<string> => {
  const parts: Array<string> = []
  let i = 0
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1
      let part = ""
      while (j < text.length) {
        if (text[j] === '"' && text[j + 1] === '"') {
          part += '"'
          j += 2
        } else if (text[j] === '"') break
        else part += text[j++]
      }
      parts.push(part)
      i = j + 1
    } else {
      let j = i
      while (j < text.length && text[j] !== ".") j++
      parts.push(text.slice(i, j).toUpperCase())
      i = j
    }
    if (text[i] === ".") i++
  }
  return parts
}

/** `@~/dir`, `@%t/dir`, `@db.s.%t/dir`, `@db.s.stage/dir`. */
export type StageRef =
  | { readonly kind: "user"; readonly path: string }
  | { readonly kind: "table"; readonly parts: ReadonlyArray<string>; readonly path: string }
  | { readonly kind: "named"; readonly parts: ReadonlyArray<string>; readonly path: string }

/** Splits the name part of a stage reference from its path at the first `/` outside quotes. */
const splitPath = (text: string): [string, string] => {
  let inQuote = false
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') inQuote = !inQuote
    else if (text[i] === "/" && !inQuote) return [text.slice(0, i), text.slice(i + 1)]
  }
  return [text, ""]
}

/** Where the table-stage `%` of `@db.schema.%t` sits in the name: after the last dot outside quotes. */
const tableMarker = (name: string): number => {
  let inQuote = false
  let partStart = 0
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '"') inQuote = !inQuote
    else if (name[i] === "." && !inQuote) partStart = i + 1
  }
  return name[partStart] === "%" ? partStart : -1
}

export const parseStageRef = (text: string): StageRef | undefined => {
  if (!text.startsWith("@")) return undefined
  const body = text.slice(1)
  if (body.startsWith("~")) return { kind: "user", path: body.slice(1).replace(/^\/+/, "") }
  const [qualified, path] = splitPath(body)
  // `@%t` or `@db.schema.%t`: the table stage of a table
  const marker = tableMarker(qualified)
  const table = marker >= 0
  const name = table ? qualified.slice(0, marker) + qualified.slice(marker + 1) : qualified
  const parts = nameParts(name)
  if (parts.length === 0 || parts.some((p) => p === "")) return undefined
  return table ? { kind: "table", parts, path } : { kind: "named", parts, path }
}

/** An option value: a word or string, a list `('a', 'b')`, or nested options `(TYPE = CSV …)`. */
export type OptionValue =
  | { readonly kind: "text"; readonly value: string; readonly quoted: boolean }
  | { readonly kind: "list"; readonly items: ReadonlyArray<OptionValue> }
  | { readonly kind: "options"; readonly options: Options }

export type Options = ReadonlyMap<string, OptionValue>

/** Reads `KEY = value` pairs from `index` to the end (or to a closing parenthesis). */
export const readOptions = (
  tokens: ReadonlyArray<StageToken>,
  index: number
): { options: Options; next: number } => {
  const options = new Map<string, OptionValue>()
  let i = index
  while (i < tokens.length) {
    const key = tokens[i] as StageToken
    if (key.kind === "punct" && key.value === ")") break
    if (key.kind === "punct" && key.value === ",") {
      i++
      continue
    }
    if (tokens[i + 1]?.kind === "punct" && tokens[i + 1]?.value === "=") {
      const { value, next } = readValue(tokens, i + 2)
      options.set(upper(key), value)
      i = next
    } else {
      // a bare flag (rare); keep it as TRUE
      options.set(upper(key), { kind: "text", value: "TRUE", quoted: false })
      i++
    }
  }
  return { options, next: i }
}

const readValue = (
  tokens: ReadonlyArray<StageToken>,
  index: number
): { value: OptionValue; next: number } => {
  const t = tokens[index]
  if (t === undefined) return { value: { kind: "text", value: "", quoted: false }, next: index }
  if (t.kind === "punct" && t.value === "(") {
    const isOptions = tokens[index + 2]?.kind === "punct" && tokens[index + 2]?.value === "="
    if (isOptions) {
      const { options, next } = readOptions(tokens, index + 1)
      return { value: { kind: "options", options }, next: next + 1 }
    }
    const items: Array<OptionValue> = []
    let i = index + 1
    while (i < tokens.length && !(tokens[i]?.kind === "punct" && tokens[i]?.value === ")")) {
      const item = tokens[i] as StageToken
      if (item.kind !== "punct")
        items.push({ kind: "text", value: item.value, quoted: item.kind === "string" })
      i++
    }
    return { value: { kind: "list", items }, next: i + 1 }
  }
  return { value: { kind: "text", value: t.value, quoted: t.kind === "string" }, next: index + 1 }
}

export const textOption = (options: Options, key: string): string | undefined => {
  const v = options.get(key)
  return v?.kind === "text" ? v.value : undefined
}

export const boolOption = (options: Options, key: string, fallback: boolean): boolean => {
  const v = textOption(options, key)
  return v === undefined ? fallback : v.toUpperCase() === "TRUE"
}

export const listOption = (options: Options, key: string): ReadonlyArray<string> | undefined => {
  const v = options.get(key)
  if (v?.kind === "list") return v.items.flatMap((item) => (item.kind === "text" ? [item.value] : []))
  if (v?.kind === "text") return [v.value]
  return undefined
}

/** `file:///tmp/x.csv` → `/tmp/x.csv` (PUT/GET local paths; also accepts `file://C:\…`). */
export const localPath = (text: string): string => text.replace(/^file:\/\//i, "")

/** `over`'s options on top of `base`'s (a statement's FILE_FORMAT over its stage's). */
export const merge = (base: Options, over: Options | undefined): Options =>
  over === undefined ? base : new Map([...base, ...over])
