/**
 * A JSON rowset read straight from its bytes, without `JSON.parse` (PROTOCOL.md §6).
 *
 * A chunk body is rows without the outer brackets, `["a","1"],[null,"2"]`, and every cell is a
 * string or null (§1.3). `JSON.parse` turns it into an array per row and a string per cell — most
 * of which the decoder throws away at once, turning "42" into 42 or "1577836800.000000000" into a
 * timestamp. Reading the bytes directly skips that garbage and the UTF-8 decoding of the whole
 * body: numbers and timestamps are read from the digits, and only text cells become strings.
 *
 * Two steps, so that a chunk is checked when it arrives but decoded only when its rows are pulled:
 *
 * 1. `indexRowset` walks the body once and records where each row starts. It accepts exactly the
 *    bodies `JSON.parse('[' + body + ']')` accepts whose rows are arrays of string | null cells
 *    (whitespace between tokens, every escape); anything else answers `undefined`, and the caller
 *    falls back to `JSON.parse`, which says precisely what is wrong.
 * 2. `readRow` walks one row's cells and hands each cell's byte range to a callback.
 *
 * Cells that are plain ASCII without escapes (almost all of them) are read in place; others become
 * text first (`cellText`), decoded exactly as `JSON.parse` would.
 */

/** The body bytes and the offset of every row's `[`. */
export interface IndexedRowset {
  readonly bytes: Uint8Array
  /** Offset of row r's opening bracket, for r in [0, rowCount). */
  readonly starts: Int32Array
  readonly rowCount: number
}

/** Flags of a cell passed to `readRow`'s callback. */
export const ESCAPED = 1
export const NON_ASCII = 2

/** Node's Buffer has fast native slicing to strings; other runtimes use a TextDecoder. */
interface NodeSlices {
  latin1Slice(start: number, end: number): string
  utf8Slice(start: number, end: number): string
}

const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer
const hasNodeSlices =
  NodeBuffer !== undefined &&
  typeof (NodeBuffer.prototype as unknown as Partial<NodeSlices>).latin1Slice === "function" &&
  typeof (NodeBuffer.prototype as unknown as Partial<NodeSlices>).utf8Slice === "function"

/** A view of the same memory that has the fast slices when the runtime offers them (no copy). */
const withSlices = (bytes: Uint8Array): Uint8Array =>
  hasNodeSlices && !(bytes instanceof NodeBuffer!)
    ? NodeBuffer!.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : bytes

const utf8 = new TextDecoder("utf-8")

/** The text of bytes [start, end): Latin-1 slicing is exact for ASCII and fastest. */
export const bytesText = (bytes: Uint8Array, start: number, end: number, nonAscii: boolean): string =>
  hasNodeSlices
    ? nonAscii
      ? (bytes as unknown as NodeSlices).utf8Slice(start, end)
      : (bytes as unknown as NodeSlices).latin1Slice(start, end)
    : utf8.decode(bytes.subarray(start, end))

/** The value of a string cell whose content is bytes [start, end) (between the quotes). */
export const cellText = (bytes: Uint8Array, start: number, end: number, flags: number): string => {
  const nonAscii = (flags & NON_ASCII) !== 0
  // indexRowset checked every escape, so JSON.parse of the quoted cell cannot fail.
  return (flags & ESCAPED) !== 0
    ? (JSON.parse(bytesText(bytes, start - 1, end + 1, nonAscii)) as string)
    : bytesText(bytes, start, end, nonAscii)
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)

/** After `\`: one of `" \ / b f n r t`, or `u` and four hex digits. Returns the index after it, or -1. */
const skipEscape = (bytes: Uint8Array, i: number, end: number): number => {
  const c = bytes[i]
  if (c === 34 || c === 92 || c === 47 || c === 98 || c === 102 || c === 110 || c === 114 || c === 116)
    return i + 1
  if (c !== 117 || i + 5 > end) return -1
  for (let k = i + 1; k < i + 5; k++) if (!isHex(bytes[k]!)) return -1
  return i + 5
}

/**
 * Checks the body and finds its rows; `undefined` when it is not a well-formed rowset of string |
 * null cells (then `JSON.parse` decides and explains). `expectedRows` only sizes the index.
 */
export const indexRowset = (body: Uint8Array, expectedRows = 0): IndexedRowset | undefined => {
  const bytes = withSlices(body)
  const end = bytes.length
  let starts = new Int32Array(Math.max(16, expectedRows))
  let rowCount = 0
  let i = 0
  const skipSpace = () => {
    while (i < end && isSpace(bytes[i]!)) i++
  }
  skipSpace()
  if (i === end) return { bytes, starts, rowCount: 0 }
  for (;;) {
    if (bytes[i] !== 91) return undefined // [
    if (rowCount === starts.length) {
      const grown = new Int32Array(starts.length * 2)
      grown.set(starts)
      starts = grown
    }
    starts[rowCount++] = i
    i++
    skipSpace()
    if (bytes[i] === 93) {
      i++ // an empty row: the decoder reports the width
    } else {
      for (;;) {
        skipSpace()
        const c = bytes[i]
        if (c === 110) {
          // null
          if (bytes[i + 1] !== 117 || bytes[i + 2] !== 108 || bytes[i + 3] !== 108) return undefined
          i += 4
        } else if (c === 34) {
          i++
          for (;;) {
            if (i >= end) return undefined
            const d = bytes[i]!
            if (d === 34) break
            if (d === 92) {
              i = skipEscape(bytes, i + 1, end)
              if (i < 0) return undefined
            } else if (d < 32) {
              return undefined // raw control characters are not allowed in JSON strings
            } else {
              i++
            }
          }
          i++ // closing quote
        } else {
          return undefined
        }
        skipSpace()
        const next = bytes[i]
        i++
        if (next === 93) break
        if (next !== 44) return undefined
      }
    }
    skipSpace()
    if (i === end) break
    if (bytes[i] !== 44) return undefined
    i++
    skipSpace()
  }
  return { bytes, starts, rowCount }
}

/** Receives each cell of a row: its index, and for a string cell its content range and flags. */
export type CellVisitor = (index: number, start: number, end: number, flags: number, isNull: boolean) => void

/**
 * Visits the cells of row `row` of an indexed rowset, in order; returns how many there were.
 * Trusts the structure `indexRowset` checked.
 */
export const readRow = (rowset: IndexedRowset, row: number, visit: CellVisitor): number => {
  const bytes = rowset.bytes
  let i = rowset.starts[row]! + 1
  let count = 0
  for (;;) {
    let c = bytes[i]!
    while (isSpace(c)) c = bytes[++i]!
    if (c === 93) return count // only an empty row ends here
    if (c === 110) {
      visit(count, i, i, 0, true)
      i += 4
    } else {
      const start = i + 1
      let j = start
      let flags = 0
      for (;;) {
        const d = bytes[j]!
        if (d === 34) break
        if (d === 92) {
          flags |= ESCAPED
          j += 2 // the escaped character; \uXXXX's hex digits are plain characters
        } else {
          if (d >= 128) flags |= NON_ASCII
          j++
        }
      }
      visit(count, start, j, flags, false)
      i = j + 1
    }
    count++
    c = bytes[i]!
    while (isSpace(c)) c = bytes[++i]!
    i++
    if (c === 93) return count
  }
}
