/**
 * COPY INTO <table> FROM (SELECT <expressions> FROM @stage [alias]): loading with a transform.
 *
 * Each file's records are staged as they are read — CSV fields as text `$1`, `$2`, …, a JSON
 * document or a Parquet row (the object of its columns) as the VARIANT `$1` — with their row number; the expressions are then evaluated over
 * them by the engine's own Snowflake → DuckDB translation (so `$1:name::string`, `UPPER($2)` or
 * `$3::NUMBER * 100` mean what they mean in a query), and their results are checked and inserted
 * like any staged file (load.ts), so ON_ERROR, load history and PURGE apply. `METADATA$FILENAME`
 * and `METADATA$FILE_ROW_NUMBER` name the file and the record's number in it.
 *
 * An expression that fails to evaluate for a record (`'x'::NUMBER`) is that record's error, under
 * ON_ERROR like any other. Aliases on the expressions are accepted and dropped (the column list
 * names the targets).
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import type { DuckFailure } from "../engine/duck.js"
import { queryRows, runStatement } from "../engine/duck.js"
import type { EngineError } from "../engine/Engine.js"
import { fromDuckMessage } from "../engine/errors.js"
import { quoteIdent, quoteString, significant, type Token, tokenize } from "../engine/lexer.js"
import { type SessionFacts, toDuckDb } from "../engine/transpile.js"
import type { ParsedRecord, RecordError } from "./formats.js"
import { appendRecords, type StagedFile, stageFrom, type Target } from "./load.js"

export interface Transform {
  /** The SELECT list's expressions, as written. */
  readonly expressions: ReadonlyArray<string>
  /** The stage reference after the inner FROM (`@%t/dir`). */
  readonly stage: string
  /** What follows the closing parenthesis: the COPY options. */
  readonly rest: string
}

const isWord = (token: Token | undefined, word: string) =>
  token?.kind === "word" && token.text.toUpperCase() === word

/** The tokens' source text (they are contiguous slices of `sql`). */
const textOf = (sql: string, tokens: ReadonlyArray<Token>) => {
  const first = tokens[0]
  const last = tokens[tokens.length - 1]
  return first === undefined || last === undefined
    ? ""
    : sql.slice(first.start, last.start + last.text.length)
}

/** Splits tokens at the commas outside parentheses. */
const splitTopLevel = (tokens: ReadonlyArray<Token>): Array<Array<Token>> => {
  const parts: Array<Array<Token>> = [[]]
  let depth = 0
  for (const token of tokens) {
    if (token.text === "(" || token.text === "[") depth++
    if (token.text === ")" || token.text === "]") depth--
    if (token.text === "," && depth === 0) parts.push([])
    else parts[parts.length - 1]?.push(token)
  }
  return parts
}

/** Words that end an expression without being an alias after it. */
const ENDING_WORDS = new Set(["END", "NULL", "TRUE", "FALSE"])

/**
 * A select item without its column alias (`$1 AS id`, `UPPER($2) name`): the COPY's column list
 * names the targets, so the alias only has to go.
 */
const withoutAlias = (part: ReadonlyArray<Token>): ReadonlyArray<Token> => {
  const last = part[part.length - 1]
  const before = part[part.length - 2]
  if (last === undefined || before === undefined) return part
  const isName =
    last.kind === "qident" || (last.kind === "word" && !ENDING_WORDS.has(last.text.toUpperCase()))
  if (!isName) return part
  if (isWord(before, "AS")) return part.slice(0, -2)
  // a bare alias follows a complete operand: a number (`$1`), a closing parenthesis, a string or a name
  const operand =
    before.kind === "number" || before.kind === "string" || before.text === ")" || before.text === "]"
  return operand ? part.slice(0, -1) : part
}

/**
 * The transform of a `COPY INTO t [(cols)] FROM (SELECT … FROM @stage [alias]) …` statement, or
 * undefined when its source is not a parenthesised SELECT over a stage.
 */
export const parseTransform = (
  sql: string
): { readonly transform: Transform; readonly alias?: string } | undefined => {
  const tokens = significant(tokenize(sql))
  // the first FROM at depth 0 followed by "("
  let depth = 0
  let open = -1
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token
    if (t.text === "(") depth++
    else if (t.text === ")") depth--
    else if (depth === 0 && isWord(t, "FROM")) {
      if (tokens[k + 1]?.text === "(") open = k + 1
      break
    }
  }
  if (open < 0 || !isWord(tokens[open + 1], "SELECT")) return undefined
  let close = -1
  depth = 0
  for (let k = open; k < tokens.length; k++) {
    const text = (tokens[k] as Token).text
    if (text === "(") depth++
    else if (text === ")" && --depth === 0) {
      close = k
      break
    }
  }
  if (close < 0) return undefined
  const inner = tokens.slice(open + 2, close)
  // the last FROM at depth 0 inside: the expressions are before it, the stage after
  depth = 0
  let from = -1
  inner.forEach((t, k) => {
    if (t.text === "(") depth++
    else if (t.text === ")") depth--
    else if (depth === 0 && isWord(t, "FROM")) from = k
  })
  if (from < 0) return undefined
  const source = textOf(sql, inner.slice(from + 1)).trim()
  const [stage, ...aliasWords] = source.split(/\s+/)
  if (stage === undefined || !stage.startsWith("@")) return undefined
  const alias = aliasWords.filter((w) => w.toUpperCase() !== "AS")[0]
  const expressions = splitTopLevel(inner.slice(0, from)).map((part) => textOf(sql, withoutAlias(part)))
  const after = tokens[close + 1]
  const rest = after === undefined ? "" : sql.slice(after.start)
  return { transform: { expressions, stage, rest }, ...(alias === undefined ? {} : { alias }) }
}

/**
 * SQL with `$n` (or `alias.$n`, the alias dropped when given) and the METADATA$ columns pointing
 * at a staged record: `$n` is its column `c<n>`, METADATA$FILENAME the SQL `file`,
 * METADATA$FILE_ROW_NUMBER its `__row` + 1.
 */
export const pointAtRecord = (expression: string, alias: string | undefined, file: string): string => {
  const tokens = tokenize(expression)
  const out: Array<string> = []
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token
    const next = tokens[k + 1]
    if (t.text === "$" && next?.kind === "number" && /^\d+$/.test(next.text)) {
      // `alias.$n`: the alias and its dot go
      if (out.length >= 2 && out[out.length - 1] === "." && alias !== undefined) {
        const before = out[out.length - 2] as string
        if (before.toUpperCase() === alias.toUpperCase() || before === quoteIdent(alias)) out.length -= 2
      }
      out.push(quoteIdent(`c${next.text}`))
      k++
    } else if (isWord(t, "METADATA$FILENAME")) out.push(file)
    else if (isWord(t, "METADATA$FILE_ROW_NUMBER")) out.push(`(${quoteIdent("__row")} + 1)`)
    else out.push(t.text)
  }
  return out.join("")
}

let sourceCounter = 0

/** Most evaluations spent finding the records whose expressions fail (see `search`). */
const MAX_PROBES = 200

/** A row's value error: a conversion or bad input, which ON_ERROR decides about (not a compilation error). */
const isValueError = (message: string) => /^(Conversion|Invalid Input|Out of Range) Error/.test(message)

/**
 * Stages one file's records through the transform: its results become the text cells of a staged
 * file (load.ts), checked against the target's columns like any other. A record whose expressions
 * fail to evaluate (`'x'::NUMBER`) is that record's error, found by halving the rows until each
 * failing one stands alone (the others are evaluated as usual), and left out of the staged rows;
 * its message is Snowflake's for that failure. A compilation error still fails the statement, and
 * so does a transform failing on too many records to single out in `MAX_PROBES` evaluations
 * (about ten in a large file) — Snowflake would count them all as errors.
 */
export const stageTransformed = (
  connection: DuckDBConnection,
  target: Target,
  transform: Transform,
  alias: string | undefined,
  records: ReadonlyArray<ParsedRecord>,
  file: string,
  json: boolean,
  facts: SessionFacts,
  /** ABORT_STATEMENT: the first failing record is enough. */
  firstOnly: boolean
): Effect.Effect<
  { readonly staged: StagedFile; readonly errors: ReadonlyArray<RecordError> },
  DuckFailure | EngineError
> =>
  Effect.gen(function* () {
    sourceCounter += 1
    const name = `__sf_copy_source_${sourceCounter}`
    const source = quoteIdent(name)
    const width = records.reduce((widest, r) => Math.max(widest, r.cells.length), 1)
    const cells = Array.from(
      { length: width },
      (_, i) => `${quoteIdent(`c${i + 1}`)} ${json && i === 0 ? "JSON" : "VARCHAR"}`
    )
    yield* runStatement(
      connection,
      `CREATE OR REPLACE TEMP TABLE ${source} (__row BIGINT, ${cells.join(", ")})`
    )
    const staged = Effect.gen(function* () {
      yield* appendRecords(connection, name, records, width)
      const selected = transform.expressions.map(
        (e, i) => `${pointAtRecord(e, alias, quoteString(file))} AS ${quoteIdent(`x${i}`)}`
      )
      const translated = toDuckDb(
        `SELECT ${quoteIdent("__row")} AS ${quoteIdent("__row")}, ${selected.join(", ")} FROM ${source}`,
        facts
      )
      // a VARIANT string going into a text column is its text, not its JSON (`alice`, not `"alice"`)
      const types = yield* queryRows(connection, `DESCRIBE ${translated}`)
      const isJson = new Map(types.map((r) => [String(r[0]), String(r[1]) === "JSON"]))
      const texts = target.columns.map((column, i) => {
        const x = quoteIdent(`x${i}`)
        return isJson.get(`x${i}`) === true && column.type !== "JSON"
          ? `CASE WHEN json_type(${x}) = 'VARCHAR' THEN json_extract_string(${x}, '$') ELSE CAST(${x} AS VARCHAR) END AS c${i}`
          : `CAST(${x} AS VARCHAR) AS c${i}`
      })
      const results = `(SELECT __row, ${texts.join(", ")} FROM (${translated}))`
      // the rows lo..hi evaluated (the filter is pushed below the expressions), or their failure
      const evaluate = (lo: number, hi: number) =>
        queryRows(
          connection,
          // every cell counted, so every expression is evaluated (count(*) alone would prune them)
          `SELECT ${target.columns.map((_, i) => `count(c${i})`).join(", ")} FROM ${results} WHERE __row BETWEEN ${lo} AND ${hi}`
        )
      // Halving finds k failing records in about 2·k·log(n) probes: bounded, so that a transform
      // failing on most records fails the statement (as before) instead of probing for hours;
      // with ABORT_STATEMENT only the first failing record is needed.
      let probes = 0
      const found: Array<RecordError & { row: number }> = []
      const search = (lo: number, hi: number): Effect.Effect<void, DuckFailure> =>
        Effect.suspend(() => {
          if ((firstOnly && found.length > 0) || probes >= MAX_PROBES) return Effect.void
          probes++
          return Effect.catchAll(Effect.asVoid(evaluate(lo, hi)), (e) => {
            if (!isValueError(e.message)) return Effect.fail(e)
            if (lo === hi) {
              const error = fromDuckMessage(e.message, { database: null, schema: null, sql: "" })
              found.push({
                row: lo,
                line: records[lo]?.line ?? lo + 1,
                character: 1,
                code: error.code,
                sqlState: error.sqlState,
                message: error.message
              })
              return Effect.void
            }
            const mid = Math.floor((lo + hi) / 2)
            return Effect.zipRight(search(lo, mid), search(mid + 1, hi))
          })
        })
      const first = yield* Effect.either(stageFrom(connection, target, results))
      if (first._tag === "Right") return { staged: first.right, errors: [] }
      if (!isValueError(first.left.message) || records.length === 0) return yield* Effect.fail(first.left)
      yield* search(0, records.length - 1)
      const errors = found
      // too many failing records to single out, or none failing alone: the statement fails, with
      // Snowflake's words for the failure
      if ((probes >= MAX_PROBES && !(firstOnly && found.length > 0)) || errors.length === 0)
        return yield* Effect.fail(
          fromDuckMessage(first.left.message, { database: null, schema: null, sql: "" })
        )
      // ABORT_STATEMENT fails with the first error and loads nothing: no rows need staging
      if (firstOnly)
        return {
          staged: yield* stageFrom(connection, target, `(SELECT * FROM ${results} WHERE false)`),
          errors: errors.map(({ row: _, ...error }) => error)
        }
      yield* runStatement(
        connection,
        `DELETE FROM ${source} WHERE __row IN (${errors.map((e) => e.row).join(", ")})`
      )
      const rest = yield* stageFrom(connection, target, results)
      return { staged: rest, errors: errors.map(({ row: _, ...error }) => error) }
    })
    return yield* staged.pipe(
      Effect.ensuring(runStatement(connection, `DROP TABLE IF EXISTS ${source}`).pipe(Effect.ignore))
    )
  })
