/**
 * A record's number in its file (1-based, as Snowflake's `Row n` and ROW_NUMBER count): records,
 * not lines — a quoted field may hold line breaks — and records that could not be read count too.
 */
import type { ParsedRecord, RecordError } from "./formats.js"

/** How many of `sorted` (ascending) are below `line`: a binary search. */
const countBelow = (sorted: ReadonlyArray<number>, line: number) => {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((sorted[mid] as number) < line) low = mid + 1
    else high = mid
  }
  return low
}

export interface RecordNumbers {
  /** The number of a record that could not be read. */
  readonly ofError: (error: RecordError) => number
  /** The number of the staged row `row`, whose record starts on `line`. */
  readonly ofRow: (row: number, line: number) => number
}

/**
 * Numbers for one file: its staged records (by row, in file order) and the records that could not
 * be read. (A file DuckDB read has no unreadable records; its `records` may have holes then, and
 * are not looked at.)
 */
export const recordNumbers = (
  records: ReadonlyArray<ParsedRecord>,
  errors: ReadonlyArray<RecordError>
): RecordNumbers => {
  const errorLines = errors.map((e) => e.line).sort((a, b) => a - b)
  const recordLines = errors.length === 0 ? [] : records.map((r) => r.line)
  return {
    ofError: (error) => countBelow(recordLines, error.line) + countBelow(errorLines, error.line) + 1,
    ofRow: (row, line) => row + 1 + countBelow(errorLines, line)
  }
}
