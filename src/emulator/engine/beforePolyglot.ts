/**
 * The rules of the walk before polyglot, on Snowflake text: unquoted identifiers fold to upper case
 * (Snowflake's rule; DuckDB then names result columns the way Snowflake does) except JSON path
 * keys, and functions whose polyglot translation differs from Snowflake go to our macros
 * (macros.ts) or to what they mean in DuckDB. Listed in order in transpile.ts.
 */
import { type Rule, type TokenCursor, textOf } from "./cursor.js"
import { quoteString, significant, type Token } from "./lexer.js"

const isPunct = (t: Token | undefined, text: string) => t?.kind === "punct" && t.text === text

/** Splits the tokens between parentheses into top-level, comma-separated arguments. */
const splitArgs = (tokens: ReadonlyArray<Token>): Array<Array<Token>> => {
  let current: Array<Token> = []
  const args: Array<Array<Token>> = [current]
  let depth = 0
  for (const t of tokens) {
    if (isPunct(t, "(") || isPunct(t, "[")) depth++
    if (isPunct(t, ")") || isPunct(t, "]")) depth--
    if (depth === 0 && isPunct(t, ",")) {
      current = []
      args.push(current)
    } else current.push(t)
  }
  return args
}

/** A call at the cursor: the function's upper-case name, its arguments and the closing `)`. */
interface Call {
  readonly name: string
  readonly args: Array<Array<Token>>
  /** Index of the `)` closing the call, or -1 when it is not closed. */
  readonly close: number
}

/**
 * The call starting at the cursor's word when `named` takes its name (the next significant token
 * being `(`), or undefined. The name is checked first: finding the arguments costs a scan.
 */
const callAt = (cursor: TokenCursor, named: (upper: string) => boolean): Call | undefined => {
  const name = cursor.word
  if (name === "" || !named(name)) return undefined
  const next = cursor.ahead(2)[0]
  if (!isPunct(next, "(")) return undefined
  const open = cursor.indexOf(next)
  const close = cursor.closing(open)
  return {
    name,
    args: splitArgs(cursor.tokens.slice(open + 1, close < 0 ? undefined : close)),
    close
  }
}

const PATH_TOKEN_KINDS = new Set(["word", "qident", "number", "string"])

/** `v:Key.sub[0]`: a JSON path after `:` keeps its case (its keys are case-sensitive). */
export const jsonPathKeys: Rule = {
  name: "JSON path keys keep their case",
  apply: (cursor) => {
    if (!isPunct(cursor.current, ":")) return undefined
    const out = [":"]
    cursor.advance()
    for (let t = cursor.current; t !== undefined; t = cursor.current) {
      const inPath =
        PATH_TOKEN_KINDS.has(t.kind) ||
        (t.kind === "punct" && (t.text === "." || t.text === "[" || t.text === "]"))
      if (!inPath) break
      out.push(t.text)
      cursor.advance()
    }
    return out.join("")
  }
}

const DATE_PART_FUNCTIONS: Record<string, string> = {
  DATEDIFF: "SF_DATEDIFF",
  TIMEDIFF: "SF_DATEDIFF",
  TIMESTAMPDIFF: "SF_DATEDIFF",
  DATEADD: "SF_DATEADD",
  TIMEADD: "SF_DATEADD",
  TIMESTAMPADD: "SF_DATEADD"
}

/** Parts of a day or longer: adding them keeps a DATE a DATE; shorter parts make it a timestamp. */
const DATE_LEVEL_PARTS = new Set(
  ["year years y yy yyyy yr yrs", "quarter quarters q qtr qtrs", "month months mm mon mons"]
    .concat(["week weeks w wk weekofyear woy wy", "day days d dd dayofmonth"])
    .flatMap((names) => names.split(" "))
)

/** The macro for a DATE_PART_FUNCTIONS call with this (lower-case, quoted) part. */
const datePartMacro = (fn: string, quotedPart: string): string =>
  fn === "SF_DATEADD" && !DATE_LEVEL_PARTS.has(quotedPart.slice(1, -1)) ? "SF_TIMEADD" : fn

/** DATEADD(day, 1, d) → SF_DATEADD('day', 1, d): the bare date part a string for our macros. */
export const datePartCalls: Rule = {
  name: "date part functions",
  apply: (cursor, _, again) => {
    const call = callAt(cursor, (name) => name in DATE_PART_FUNCTIONS)
    const macro = call === undefined ? undefined : DATE_PART_FUNCTIONS[call.name]
    if (call === undefined || macro === undefined) return undefined
    const part = significant(call.args[0] ?? [])[0]
    if (call.close <= 0 || part === undefined || call.args.length !== 3) return undefined
    const partText = part.kind === "string" ? part.text.toLowerCase() : quoteString(part.text.toLowerCase())
    const rest = call.args.slice(1).map((a) => again(textOf(a)))
    cursor.skipPast(call.close)
    return `${datePartMacro(macro, partText)}(${partText}, ${rest.join(", ")})`
  }
}

/** Snowflake datetime format → strftime (the common elements). */
const strftimeFormat = (format: string): string =>
  format
    .replace(/YYYY/g, "%Y")
    .replace(/YY/g, "%y")
    .replace(/MON/g, "%b")
    .replace(/MM/g, "%m")
    .replace(/DD/g, "%d")
    .replace(/DY/g, "%a")
    .replace(/HH24/g, "%H")
    .replace(/HH12/g, "%I")
    .replace(/MI/g, "%M")
    .replace(/SS/g, "%S")
    .replace(/FF\d?/g, "%f")
    .replace(/AM|PM/g, "%p")

/** TO_CHAR(d, 'YYYY-MM-DD') → STRFTIME(d, '%Y-%m-%d'). */
export const toCharFormat: Rule = {
  name: "TO_CHAR with a format",
  apply: (cursor, _, again) => {
    const call = callAt(cursor, (name) => name === "TO_CHAR" || name === "TO_VARCHAR")
    if (call === undefined) return undefined
    const format = significant(call.args[1] ?? [])
    const only = format[0]
    if (call.close <= 0 || call.args.length !== 2 || format.length !== 1 || only?.kind !== "string")
      return undefined
    cursor.skipPast(call.close)
    return `STRFTIME(${again(textOf(call.args[0] ?? []))}, ${quoteString(strftimeFormat(only.text.slice(1, -1)))})`
  }
}

/** TO_NUMBER(x, 10, 2) → CAST(x AS DECIMAL(10, 2)); the TRY_ forms → TRY_CAST. */
export const toNumberScale: Rule = {
  name: "TO_NUMBER with precision and scale",
  apply: (cursor, _, again) => {
    const call = callAt(
      cursor,
      (name) =>
        name === "TO_NUMBER" || name === "TO_DECIMAL" || name === "TO_NUMERIC" || name.startsWith("TRY_TO_")
    )
    if (call === undefined) return undefined
    const name = call.name
    if (call.close <= 0 || call.args.length !== 3 || name === "TRY_TO_DATE") return undefined
    const cast = name.startsWith("TRY_") ? "TRY_CAST" : "CAST"
    const [value, precision, scale] = call.args
    cursor.skipPast(call.close)
    return `${cast}(${again(textOf(value ?? []))} AS DECIMAL(${textOf(precision ?? []).trim()}, ${textOf(scale ?? []).trim()}))`
  }
}

/** FLATTEN(INPUT => expr [, …]) → SF_FLATTEN(expr); only the input argument is supported. */
export const flattenInput: Rule = {
  name: "FLATTEN's input",
  apply: (cursor, _, again) => {
    const call = callAt(cursor, (name) => name === "FLATTEN")
    if (call === undefined || call.close < 0) return undefined
    const input =
      call.args.find((a) => significant(a)[0]?.text.toUpperCase() === "INPUT") ?? call.args[0] ?? []
    const arrow = significant(input)[1]
    const expression = arrow?.text === "=>" ? input.slice(input.indexOf(arrow) + 1) : input
    cursor.skipPast(call.close)
    return `SF_FLATTEN(${again(textOf(expression))})`
  }
}

/** Plain renames to macros defined in macros.ts (so polyglot leaves them alone). */
const RENAMED: Record<string, string> = {
  ARRAY_SIZE: "SF_ARRAY_SIZE",
  TO_VARCHAR: "SF_TO_TEXT",
  TO_CHAR: "SF_TO_TEXT",
  ZEROIFNULL: "SF_ZEROIFNULL",
  TYPEOF: "SF_TYPEOF",
  TRY_TO_NUMBER: "SF_TRY_TO_NUMBER",
  TRY_TO_DECIMAL: "SF_TRY_TO_NUMBER",
  TRY_TO_NUMERIC: "SF_TRY_TO_NUMBER",
  TO_NUMBER: "SF_TO_NUMBER",
  TO_DECIMAL: "SF_TO_NUMBER",
  TO_NUMERIC: "SF_TO_NUMBER",
  TO_TIMESTAMP_LTZ: "SF_TO_TIMESTAMP_TZ",
  TO_TIMESTAMP_TZ: "SF_TO_TIMESTAMP_TZ",
  TO_TIMESTAMP_NTZ: "SF_TO_TIMESTAMP",
  TO_TIMESTAMP: "SF_TO_TIMESTAMP",
  UNIFORM: "SF_UNIFORM",
  FLATTEN: "SF_FLATTEN",
  TO_BINARY: "SF_TO_BINARY",
  TRY_TO_BINARY: "SF_TO_BINARY",
  // polyglot makes a DuckDB list of it: one element type (ARRAY_CONSTRUCT(1, 'a') fails) and
  // 1-based subscripts. Under a name it does not know it still translates the arguments (variant
  // paths inside), and `renamedAfterPolyglot` then makes it a JSON array, as Snowflake's ARRAY is.
  ARRAY_CONSTRUCT: "SF_ARRAY_CONSTRUCT",
  // polyglot turns GET(v, 0) into v[1], a list's first element: on a VARIANT (JSON) that is the second
  GET: "SF_GET"
}

/** ARRAY_SIZE( → SF_ARRAY_SIZE(, …: the calls our macros answer. */
export const renamedCalls: Rule = {
  name: "calls renamed to our macros",
  apply: (cursor) => {
    const renamed = RENAMED[cursor.word]
    if (renamed === undefined || !isPunct(cursor.ahead(2)[0], "(")) return undefined
    cursor.advance()
    return renamed
  }
}

/** Any other unquoted word: upper case, as Snowflake resolves unquoted identifiers. */
export const upperCaseIdentifiers: Rule = {
  name: "unquoted identifiers to upper case",
  apply: (cursor) => {
    const upper = cursor.word
    if (upper === "") return undefined
    cursor.advance()
    return upper
  }
}
