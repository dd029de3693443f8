/**
 * Parsing staged CSV and JSON files into rows of text cells for COPY INTO, keeping the line and
 * character where each field starts so errors can be reported as Snowflake does (first_error_line,
 * first_error_character). Parquet is read by DuckDB itself (load.ts).
 */
// Snowflake reads JSON numbers exactly: integers beyond 2^53 must not pass through a JS number.
import { parseLosslessJson } from "../../protocol/decode/json.js"
import { stringifyLossless } from "../../protocol/values/losslessJson.js"
import { listOption, type Options, textOption } from "../stages/sqlText.js"

/** One parsed record: a text or NULL per field, plus where it came from. */
export interface ParsedRecord {
  readonly cells: ReadonlyArray<string | null>
  /** 1-based line of the record's first character in the file. */
  readonly line: number
  /** 1-based character (within that line) where each field starts. */
  readonly starts: ReadonlyArray<number>
}

/** A record-level problem found while parsing (bad JSON, wrong column count). */
export interface RecordError {
  readonly line: number
  readonly character: number
  readonly code: string
  readonly sqlState: string
  readonly message: string
  readonly column?: number
}

export interface ParsedFile {
  readonly records: ReadonlyArray<ParsedRecord>
  readonly errors: ReadonlyArray<RecordError>
  /** Header names when PARSE_HEADER=TRUE (CSV) or object keys are matched by name (JSON). */
  readonly header: ReadonlyArray<string> | undefined
}

const option = (format: Options, key: string, fallback: string) => textOption(format, key) ?? fallback

/** Snowflake's `NONE` spelling means "no such character". */
const charOption = (format: Options, key: string, fallback: string | undefined): string | undefined => {
  const v = textOption(format, key)
  if (v === undefined) return fallback
  return v.toUpperCase() === "NONE" || v === "" ? undefined : v
}

export interface CsvReading {
  /**
   * A blank last line (the file ends in two newlines) is a record of one NULL field, not padding —
   * for files whose every record ends in a newline (stage binds of a single nullable column).
   */
  readonly trailingBlankLine?: boolean
}

export const parseCsv = (text: string, format: Options, reading: CsvReading = {}): ParsedFile => {
  const delimiter = charOption(format, "FIELD_DELIMITER", ",") ?? "\u0000"
  const recordDelimiter = charOption(format, "RECORD_DELIMITER", "\n") ?? "\n"
  const quote = charOption(format, "FIELD_OPTIONALLY_ENCLOSED_BY", undefined)
  const escapeChar = charOption(format, "ESCAPE", undefined)
  const unenclosedEscape = charOption(format, "ESCAPE_UNENCLOSED_FIELD", "\\")
  const skipHeader = Number(option(format, "SKIP_HEADER", "0"))
  const parseHeader = option(format, "PARSE_HEADER", "FALSE").toUpperCase() === "TRUE"
  const trim = option(format, "TRIM_SPACE", "FALSE").toUpperCase() === "TRUE"
  const emptyAsNull = option(format, "EMPTY_FIELD_AS_NULL", "TRUE").toUpperCase() === "TRUE"
  const nullIf = new Set(listOption(format, "NULL_IF") ?? ["\\N"])
  const skipBlank = option(format, "SKIP_BLANK_LINES", "FALSE").toUpperCase() === "TRUE"
  // SKIP_BYTE_ORDER_MARK (default TRUE): a UTF-8 BOM before the first record is not data
  const skipBom = option(format, "SKIP_BYTE_ORDER_MARK", "TRUE").toUpperCase() === "TRUE"

  const records: Array<ParsedRecord> = []
  const errors: Array<RecordError> = []
  let line = 1
  let col = 1
  let i = skipBom && text.charCodeAt(0) === 0xfeff ? 1 : 0
  const n = text.length
  let header: Array<string> | undefined
  let toSkip = parseHeader ? Math.max(skipHeader, 1) : skipHeader
  while (i < n) {
    const recordLine = line
    const recordStart = i
    const cells: Array<string | null> = []
    const starts: Array<number> = []
    // a broken enclosure makes the whole record an error (Snowflake's codes for these are [U])
    let problem: RecordError | undefined
    let endOfRecord = false
    while (!endOfRecord) {
      starts.push(col)
      let value = ""
      let quoted = false
      if (quote !== undefined && text[i] === quote) {
        quoted = true
        const opened = { line, col }
        i++
        col++
        // runs of ordinary characters are sliced, not appended one by one (big files)
        let run = i
        for (;;) {
          if (i >= n) {
            problem ??= {
              line: opened.line,
              character: opened.col,
              code: "100065",
              sqlState: "22000",
              message: `End of file reached while looking for the closing ${quote} of a field`,
              column: cells.length
            }
            break
          }
          const c = text[i] as string
          if (escapeChar !== undefined && c === escapeChar && i + 1 < n) {
            value += text.slice(run, i) + text[i + 1]
            i += 2
            col += 2
            run = i
          } else if (c === quote && text[i + 1] === quote) {
            value += text.slice(run, i) + quote
            i += 2
            col += 2
            run = i
          } else if (c === quote) {
            value += text.slice(run, i)
            i++
            col++
            run = i
            break
          } else {
            if (c === "\n") {
              line++
              col = 0
            }
            i++
            col++
          }
        }
        value += text.slice(run, i)
      }
      // the rest of the field, up to a delimiter or the end of the record
      let run = i
      while (i < n && !text.startsWith(delimiter, i) && !text.startsWith(recordDelimiter, i)) {
        const c = text[i] as string
        if (!quoted && unenclosedEscape !== undefined && c === unenclosedEscape && i + 1 < n) {
          const next = text[i + 1] as string
          value += text.slice(run, i) + (next === "N" ? "\\N" : next)
          i += 2
          col += 2
          run = i
          continue
        }
        // a CR right before the record delimiter is not part of the field
        if (c === "\r" && text.startsWith(recordDelimiter, i + 1)) {
          value += text.slice(run, i)
          run = i + 1
        } else if (quoted && !(trim && /\s/.test(c))) {
          problem ??= {
            line,
            character: col,
            code: "100065",
            sqlState: "22000",
            message: `Found character '${c}' instead of field delimiter '${delimiter}'`,
            column: cells.length
          }
        }
        i++
        col++
      }
      value += text.slice(run, i)
      if (trim && !quoted) value = value.trim()
      cells.push(!quoted && ((emptyAsNull && value === "") || nullIf.has(value)) ? null : value)
      if (i >= n) endOfRecord = true
      else if (text.startsWith(delimiter, i)) {
        i += delimiter.length
        col += delimiter.length
      } else {
        i += recordDelimiter.length
        line++
        col = 1
        endOfRecord = true
      }
    }
    // an empty line, not a lone NULL field (`\N`, or a NULL_IF string, alone on its line is a record)
    const empty =
      text.startsWith(recordDelimiter, recordStart) || text.startsWith(`\r${recordDelimiter}`, recordStart)
    const blank = cells.length === 1 && cells[0] === null && empty
    if (toSkip > 0) {
      toSkip--
      if (parseHeader && header === undefined) header = cells.map((c) => c ?? "")
      continue
    }
    if (blank && (skipBlank || (i >= n && reading.trailingBlankLine !== true))) continue
    if (problem !== undefined) errors.push(problem)
    else records.push({ cells, line: recordLine, starts })
  }
  return { records, errors, header }
}

/** A JSON value as a cell: strings as they are, everything else as JSON text (big integers exact). */
const cellOf = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === "string" ? value : stringifyLossless(value)

/**
 * JSON files: one document (an array is split when STRIP_OUTER_ARRAY=TRUE) or one document per
 * line. Rows come back as one cell holding the document, or — when `columns` are given
 * (MATCH_BY_COLUMN_NAME) — one cell per column, matched by `matchName`.
 */
export const parseJson = (
  text: string,
  format: Options,
  columns: ReadonlyArray<string> | undefined,
  /** How a document's keys meet `columns` (case folded unless told otherwise). */
  matchName: (name: string) => string = (name) => name.toLowerCase()
): ParsedFile => {
  const strip = option(format, "STRIP_OUTER_ARRAY", "FALSE").toUpperCase() === "TRUE"
  const docs: Array<{ value: unknown; line: number }> = []
  const errors: Array<RecordError> = []
  const trimmed = text.trim()
  let whole: unknown
  let parsedWhole = false
  try {
    whole = parseLosslessJson(trimmed)
    parsedWhole = trimmed.length > 0
  } catch {
    parsedWhole = false
  }
  if (parsedWhole) {
    if (strip && Array.isArray(whole)) for (const v of whole) docs.push({ value: v, line: 1 })
    else docs.push({ value: whole, line: 1 })
  } else {
    const lines = text.split("\n")
    lines.forEach((raw, index) => {
      const body = raw.trim()
      if (body === "") return
      try {
        docs.push({ value: parseLosslessJson(body), line: index + 1 })
      } catch (e) {
        errors.push({
          line: index + 1,
          character: 1,
          code: "100069",
          sqlState: "22P02",
          message: `Error parsing JSON: ${e instanceof Error ? e.message : String(e)}`
        })
      }
    })
  }
  const records = docs.map(({ value, line }): ParsedRecord => {
    if (columns === undefined) return { cells: [cellOf(value)], line, starts: [1] }
    const byKey = new Map<string, unknown>()
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) byKey.set(matchName(k), v)
    }
    return {
      cells: columns.map((c) => cellOf(byKey.get(matchName(c)))),
      line,
      starts: columns.map(() => 1)
    }
  })
  return { records, errors, header: columns }
}
