/**
 * Rows to CSV (RFC 4180) bytes, streaming: a header line, fields quoted when they hold the
 * delimiter, a quote, CR or LF, quotes doubled, CRLF line ends. Values are rendered losslessly
 * (values.ts). SQL NULL becomes an empty field and an empty string a quoted empty field (`""`), so
 * the two stay distinguishable — the convention of Snowflake's own unloads
 * (`FIELD_OPTIONALLY_ENCLOSED_BY='"'`) and PostgreSQL's CSV.
 *
 * Output is produced in batches of about `batchBytes` (64 KiB), never one array per field or row.
 */
import * as Stream from "effect/Stream"
import { textBatches } from "./textBatches.js"
import { renderValue } from "./values.js"

export interface CsvOptions {
  /** Write a header line (default true). */
  readonly header?: boolean | undefined
  /** Header labels, when they should differ from the column keys. */
  readonly headerNames?: ReadonlyArray<string> | undefined
  /** Text for SQL NULL (default empty). */
  readonly nullValue?: string | undefined
  /** Field delimiter, one character (default `,`). */
  readonly delimiter?: string | undefined
  /** Line end (default CRLF, as RFC 4180 says). */
  readonly lineEnd?: string | undefined
  /** Approximate size of each emitted Uint8Array (default 64 KiB). */
  readonly batchBytes?: number | undefined
}

const needsQuotes = (delimiter: string): RegExp =>
  new RegExp(`[${delimiter.replace(/[\\\]^-]/g, "\\$&")}"\\r\\n]`)

/** A field's text: quoted when it has to be, with quotes doubled. */
export const makeFieldEncoder = (delimiter = ","): ((text: string) => string) => {
  const special = needsQuotes(delimiter)
  return (text) => (text.length === 0 ? '""' : special.test(text) ? `"${text.replaceAll('"', '""')}"` : text)
}

/**
 * CSV bytes of `rows`. `columns` are the keys of object rows (`RowDecoder.keys`) and the header
 * labels; array rows are read by position.
 */
export const csv = <Row, E, R>(
  rows: Stream.Stream<Row, E, R>,
  columns: ReadonlyArray<string>,
  options: CsvOptions = {}
): Stream.Stream<Uint8Array, E, R> =>
  Stream.suspend(() => {
    const delimiter = options.delimiter ?? ","
    const lineEnd = options.lineEnd ?? "\r\n"
    const nullValue = options.nullValue ?? ""
    const batchBytes = Math.max(1, options.batchBytes ?? 64 * 1024)
    const field = makeFieldEncoder(delimiter)
    const width = columns.length

    // A number's or boolean's text never needs quotes unless the delimiter could occur in it.
    const plainScalars = !/[-+.\deE0-9a-zA-Z]/.test(delimiter)
    const line = (row: Row): string => {
      const isArray = Array.isArray(row)
      let out = ""
      for (let i = 0; i < width; i++) {
        const value = isArray
          ? (row as ReadonlyArray<unknown>)[i]
          : (row as Record<string, unknown>)[columns[i]!]
        if (i > 0) out += delimiter
        if (plainScalars && typeof value === "number") out += String(value)
        else if (plainScalars && typeof value === "boolean") out += value ? "true" : "false"
        else {
          const text = renderValue(value)
          out += text === null ? nullValue : field(text)
        }
      }
      return out + lineEnd
    }

    const head =
      options.header === false ? "" : (options.headerNames ?? columns).map(field).join(delimiter) + lineEnd
    return textBatches(rows, line, { batchBytes, head })
  }).pipe(Stream.withSpan("snowflake.export.csv", { attributes: { columns: columns.length } }))
