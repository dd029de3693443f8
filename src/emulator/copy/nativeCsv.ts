/**
 * DuckDB's own CSV reader for COPY INTO and stage binds — the fast path. The exact path
 * (formats.ts `parseCsv`, then the appender) costs ~6 s of JavaScript and garbage collection per
 * million rows; `read_csv` stages them converted in well under 1 s.
 *
 * It is taken only when DuckDB is sure to read the file exactly as Snowflake (and `parseCsv`)
 * would, and only when every cell converts: a file or format where the two readers could differ
 * (escapes outside quotes, carriage returns but in CR LF line ends, blank lines, whitespace next to a quote, trimming,
 * headers by name, a byte-order mark), a file DuckDB rejects (wrong field count, broken quotes, invalid UTF-8, a line
 * over 2 MB) or a file with bad cells gives `undefined`, and the caller takes the exact path, which
 * knows the line and character of every error. A seeded differential test holds the two readers
 * to the same rows (test/emulator/stages/nativeCsv.test.ts).
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect, Fiber } from "effect"
import { runStatement } from "../engine/duck.js"
import { quoteIdent, quoteString } from "../engine/lexer.js"
import { listOption, type Options, textOption } from "../stages/sqlText.js"
import { type ParsedRecord, parseCsv } from "./formats.js"
import {
  dropStaged,
  type NativeCells,
  nextStagingName,
  type StagedFile,
  stageFrom,
  stageTyped,
  type Target,
  withBodyFile
} from "./load.js"

const NEWLINE = 0x0a
const CR = 0x0d
const SPACE = 0x20
const TAB = 0x09

/** A format option's single-character value; `NONE` or empty is no character. */
const charOf = (format: Options, key: string, fallback: string | undefined) => {
  const v = textOption(format, key)
  if (v === undefined) return fallback
  return v.toUpperCase() === "NONE" || v === "" ? undefined : v
}

const isTrue = (format: Options, key: string, fallback: boolean) => {
  const v = textOption(format, key)
  return v === undefined ? fallback : v.toUpperCase() === "TRUE"
}

/** The first `n` lines of the body (for the header lines DuckDB's `skip` counts as lines). */
const firstLines = (body: Buffer, n: number) => {
  let end = 0
  for (let k = 0; k < n && end >= 0; k++) {
    end = body.indexOf(NEWLINE, end)
    if (end >= 0) end++
  }
  return body.subarray(0, end < 0 ? body.length : end)
}

/**
 * Whether every record from `start` on has exactly `width` fields, enclosed fields read as
 * Snowflake reads them (a quote encloses only from a field's first character; `""` inside is one
 * quote; after the closing quote comes a delimiter or the end of the record — DuckDB would drop
 * blanks between them, and before an opening quote, so a field of blanks then a quote is declined
 * too), and no unenclosed
 * field holds the ESCAPE_UNENCLOSED_FIELD character (inside quotes it is text). DuckDB's own count
 * cannot be relied on: with `strict_mode` it still drops extra fields at the end of a record when
 * they are empty or NULL strings (`a,b,,` is two fields to it). Bytes, not characters: the
 * delimiter, quote and newline are ASCII, which never occurs inside a UTF-8 sequence.
 */
const everyRecordHas = (
  body: Buffer,
  start: number,
  width: number,
  delimiter: number,
  quote: number,
  unenclosedEscape: number,
  /** Records end in CR LF (`pureCrlf`): a CR outside quotes is the first half of a record end. */
  crlf: boolean
) => {
  const n = body.length
  let fields = 1
  let fieldStart = true
  // the unenclosed field so far is only blanks: DuckDB would take a quote now as its opening one
  let blanksOnly = true
  let i = start
  while (i < n) {
    const b = body[i]
    if (fieldStart && b === quote) {
      i++
      for (;;) {
        if (i >= n) return false
        if (body[i] === quote) {
          if (body[i + 1] !== quote) break
          i++
        }
        i++
      }
      i++
      fieldStart = false
      if (i < n && body[i] !== delimiter && body[i] !== NEWLINE && !(crlf && body[i] === CR)) return false
      continue
    }
    if (fieldStart) blanksOnly = true
    fieldStart = false
    // an escape outside quotes can hide a delimiter or a newline: DuckDB has no such thing
    if (b === unenclosedEscape) return false
    if (b === delimiter) {
      fields++
      fieldStart = true
    } else if (b === CR && crlf) {
      // the record end's first half (pureCrlf: a LF follows)
    } else if (b === NEWLINE) {
      if (fields !== width) return false
      fields = 1
      fieldStart = true
    } else if (b === quote && blanksOnly) {
      return false
    } else if (b !== SPACE && b !== TAB) {
      blanksOnly = false
    }
    i++
  }
  return body[n - 1] === NEWLINE || fields === width
}

/**
 * Whether every line of the file ends in CR LF and no CR stands anywhere else (inside quotes too):
 * then DuckDB's `new_line = '\r\n'` splits it as Snowflake does, which takes CR LF as a record
 * end and drops the CR. Anything mixed is left to the exact path.
 */
const pureCrlf = (body: Buffer) => {
  for (let i = body.indexOf(CR); i >= 0; i = body.indexOf(CR, i + 1))
    if (body[i + 1] !== NEWLINE) return false
  for (let i = body.indexOf(NEWLINE); i >= 0; i = body.indexOf(NEWLINE, i + 1))
    if (body[i - 1] !== CR) return false
  return true
}

export interface NativeCsvPlan {
  /** The `read_csv` options. */
  readonly options: string
  /** The record walk (`everyRecordHas`): the file may be read natively only if it says true. */
  readonly verify: () => boolean
  /** SKIP_HEADER: lines before the first record, and their bytes. */
  readonly headerLines: number
  readonly headerBytes: number
}

/**
 * The `read_csv` options that read `body` as Snowflake reads it with `format`, or undefined when
 * that cannot be promised; byte scans (`indexOf` over the file) decide that, cheap next to the
 * load. The one full walk over the records is `verify`, left to the caller to run while DuckDB
 * reads (its threads, not this one).
 */
export const nativeCsvPlan = (format: Options, body: Buffer, width: number): NativeCsvPlan | undefined => {
  const delimiter = charOf(format, "FIELD_DELIMITER", ",")
  const quote = charOf(format, "FIELD_OPTIONALLY_ENCLOSED_BY", undefined)
  const unenclosedEscape = charOf(format, "ESCAPE_UNENCLOSED_FIELD", "\\")
  const encoding = (textOption(format, "ENCODING") ?? "UTF8").toUpperCase().replace(/-/g, "")
  const skip = Number(textOption(format, "SKIP_HEADER") ?? "0")
  const nulls = [...(listOption(format, "NULL_IF") ?? ["\\N"])]
  if (isTrue(format, "EMPTY_FIELD_AS_NULL", true)) nulls.push("")
  const single = (c: string | undefined) => c === undefined || (c.length === 1 && c.charCodeAt(0) < 0x80)
  if (
    width === 0 ||
    delimiter === undefined ||
    !single(delimiter) ||
    !single(quote) ||
    !single(unenclosedEscape) ||
    delimiter === quote ||
    /[\n\r\\ ]/.test(delimiter) ||
    (quote !== undefined && /[\n\r\\ \t]/.test(quote)) ||
    charOf(format, "RECORD_DELIMITER", "\n") !== "\n" ||
    charOf(format, "ESCAPE", undefined) !== undefined ||
    isTrue(format, "TRIM_SPACE", false) ||
    isTrue(format, "PARSE_HEADER", false) ||
    !isTrue(format, "ERROR_ON_COLUMN_COUNT_MISMATCH", true) ||
    encoding !== "UTF8" ||
    !Number.isInteger(skip) ||
    skip < 0 ||
    nulls.length === 0 ||
    nulls.some(
      (v) => /[\n\r"]/.test(v) || v.includes(delimiter) || (quote !== undefined && v.includes(quote))
    )
  )
    return undefined
  const has = (text: string) => body.includes(text)
  const crlf = has("\r")
  if (
    body.length === 0 ||
    body[0] === NEWLINE ||
    body[0] === CR ||
    (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) ||
    has(crlf ? "\r\n\r\n" : "\n\n") ||
    has("\0") ||
    (crlf && !pureCrlf(body))
  )
    return undefined
  if (quote !== undefined) {
    // header lines are skipped as lines by DuckDB, as records by Snowflake: the same only without quotes
    if (skip > 0 && firstLines(body, skip).includes(quote)) return undefined
  }
  const header = skip === 0 ? 0 : firstLines(body, skip).length
  if (unenclosedEscape !== undefined && body.subarray(0, header).includes(unenclosedEscape)) return undefined
  const code = (c: string | undefined) => c?.charCodeAt(0) ?? -1
  const verify = () =>
    everyRecordHas(body, header, width, code(delimiter), code(quote), code(unenclosedEscape), crlf)
  const columns = Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(", ")
  const q = quoteString(quote ?? "")
  const options = [
    `columns = {${columns}}`,
    "header = false",
    "auto_detect = false",
    `delim = ${quoteString(delimiter)}`,
    `quote = ${q}`,
    `escape = ${q}`,
    crlf ? "new_line = '\\r\\n'" : "new_line = '\\n'",
    `skip = ${skip}`,
    `nullstr = [${nulls.map(quoteString).join(", ")}]`,
    "allow_quoted_nulls = false",
    // DuckDB's strict mode misreads CR LF files (a record end inside quotes swallows the rest);
    // the walker above has checked what strict mode would (widths, quotes), so it can be off
    `strict_mode = ${crlf ? "false" : "true"}`,
    "null_padding = false"
  ].join(", ")
  return { options, verify, headerLines: skip, headerBytes: header }
}

/**
 * Stages a CSV body (cells aligned to the target's columns by position) with DuckDB's reader,
 * converted (load.ts `stageTyped`), when that is certain to be right and every cell converts;
 * undefined sends the caller to the exact path.
 */
export const stageCsvNatively = (
  connection: DuckDBConnection,
  target: Target,
  body: Buffer,
  format: Options
): Effect.Effect<StagedFile | undefined> => {
  const plan = nativeCsvPlan(format, body, target.columns.length)
  if (plan === undefined) return Effect.succeed(undefined)
  return withBodyFile(body, ".csv", (file) =>
    Effect.gen(function* () {
      // DuckDB reads on its own threads while the records are walked here; a file the walk
      // refuses is dropped again, whatever DuckDB made of it
      const reading = yield* Effect.fork(
        stageTyped(connection, target, `read_csv(${quoteString(file)}, ${plan.options})`)
      )
      yield* Effect.yieldNow()
      const verified = plan.verify()
      const staged = yield* Fiber.join(reading)
      if (verified || staged === undefined) return verified ? staged : undefined
      yield* dropStaged(connection, staged)
      return undefined
    }).pipe(Effect.orElseSucceed(() => undefined))
  )
}

/**
 * The error path of `stageCsvNatively`, for a file DuckDB reads right but where some cell does
 * not convert: DuckDB stages the text cells and finds the bad rows (load.ts `stageFrom`), and only
 * the lines of those rows are parsed here, for where the errors are — instead of the exact path
 * parsing the whole file on the event loop (~6 s per million rows) to report a few bad values.
 * Taken only when every record is one line (no line break inside quotes), so that row r is line
 * r + 1 after the header; undefined sends the caller to the exact path.
 */
export const stageCsvCellsNatively = (
  connection: DuckDBConnection,
  target: Target,
  body: Buffer,
  format: Options
): Effect.Effect<NativeCells | undefined> => {
  const plan = nativeCsvPlan(format, body, target.columns.length)
  if (plan === undefined || !plan.verify()) return Effect.succeed(undefined)
  // the start of each line after the header: as many lines as records, or a record spans lines
  const starts: Array<number> = []
  for (let at = plan.headerBytes; at < body.length; ) {
    starts.push(at)
    const end = body.indexOf(NEWLINE, at)
    at = end < 0 ? body.length : end + 1
  }
  return withBodyFile(body, ".csv", (file) =>
    Effect.gen(function* () {
      const raw = quoteIdent(nextStagingName())
      // CREATE TABLE AS keeps the file's order, so rowid is the record's index
      yield* runStatement(
        connection,
        `CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT * FROM read_csv(${quoteString(file)}, ${plan.options})`
      )
      const staged = yield* stageFrom(connection, target, `(SELECT rowid AS __row, * FROM ${raw})`).pipe(
        Effect.ensuring(runStatement(connection, `DROP TABLE IF EXISTS ${raw}`).pipe(Effect.ignore))
      )
      if (staged.rows !== starts.length) {
        yield* dropStaged(connection, staged)
        return undefined
      }
      // each bad row's line, parsed alone (no header: it is one record) for its fields' starts
      const single = new Map([...format].filter(([key]) => key !== "SKIP_HEADER"))
      const records: Array<ParsedRecord> = []
      for (const { row } of staged.bad) {
        const start = starts[row] as number
        const end = body.indexOf(NEWLINE, start)
        const parsed = parseCsv(body.toString("utf8", start, end < 0 ? body.length : end + 1), single)
        const record = parsed.records[0]
        if (record === undefined) {
          yield* dropStaged(connection, staged)
          return undefined
        }
        records[row] = { ...record, line: plan.headerLines + row + 1 }
      }
      return { staged, records }
    }).pipe(Effect.orElseSucceed(() => undefined))
  )
}
