/**
 * Result rows packed as JSON text: every row's JSON array (`["1","a",null]`) in one UTF-8 buffer,
 * separated by single commas. This is the chunk-body format itself (PROTOCOL.md §6: rows joined by
 * commas, no outer brackets), so the server cuts chunk bodies out of it with `subarray` — no
 * per-row strings, no parsing, no re-stringifying, whatever the result size.
 */
const COMMA = 0x2c
const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d
const SPACE = 0x20
const CLOSE_BRACKET = 0x5d

export interface JsonRows {
  readonly count: number
  /** Row texts, each but the last followed by one `,`. */
  readonly bytes: Uint8Array
  /** `ends[i]` is the offset just past row i (where its comma is). */
  readonly ends: ReadonlyArray<number>
}

const startOf = (rows: JsonRows, i: number): number => (i === 0 ? 0 : (rows.ends[i - 1] as number) + 1)

/** Rows [start, end) as one chunk body, `["a"],["b"]`, sharing memory with `rows.bytes`. */
export const rowsBody = (rows: JsonRows, start: number, end: number): Uint8Array =>
  end <= start ? new Uint8Array(0) : rows.bytes.subarray(startOf(rows, start), rows.ends[end - 1] as number)

/** Rows [start, end) parsed (the small inline part of a response, tests). */
export const parseRows = (rows: JsonRows, start: number, end: number): Array<Array<string | null>> =>
  JSON.parse(`[${Buffer.from(rowsBody(rows, start, end)).toString("utf8")}]`) as Array<Array<string | null>>

/** Packs rows the engine built in JS (status lines, SHOW WAREHOUSES, test doubles). */
export const packRows = (rows: ReadonlyArray<ReadonlyArray<string | null>>): JsonRows => {
  const texts = rows.map((row) => JSON.stringify(row))
  const bytes = Buffer.from(texts.join(","), "utf8")
  const ends: Array<number> = []
  let at = -1
  for (const text of texts) {
    at += 1 + Buffer.byteLength(text, "utf8")
    ends.push(at)
  }
  return { count: rows.length, bytes, ends }
}

/**
 * Packs newline-terminated row texts (what DuckDB's COPY writes, see duck.ts) in place: each line
 * end becomes the comma. Every line must end with `]`: anything else means the writer quoted or
 * split a row, and the result would be wrong, so it throws instead.
 */
export const packLines = (bytes: Uint8Array): JsonRows => {
  const ends: Array<number> = []
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = buffer.indexOf(NEWLINE); at >= 0; at = buffer.indexOf(NEWLINE, at + 1)) {
    let last = at - 1
    // a CRLF writer: the CR becomes insignificant JSON whitespace
    if (buffer[last] === CARRIAGE_RETURN) buffer[last--] = SPACE
    if (buffer[last] !== CLOSE_BRACKET) throw new Error(`malformed result row ending at byte ${at}`)
    buffer[at] = COMMA
    ends.push(at)
  }
  const tail = buffer.length - ((ends[ends.length - 1] ?? -1) + 1)
  if (tail > 0) throw new Error("unterminated last result row")
  return { count: ends.length, bytes: buffer, ends }
}
