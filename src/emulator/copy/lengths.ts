/**
 * Declared string lengths (engine/lengths.ts) in loads — COPY INTO, stage binds and the fast
 * readers that stage through load.ts. A cell longer than its column's length is a conversion error
 * of its record (100074, under ON_ERROR like any other), found by the same TRY-conversion that
 * finds bad numbers and dates; with TRUNCATECOLUMNS = TRUE (or ENFORCE_LENGTH = FALSE, the same
 * option inverted) it is cut to the length instead. Lengths count characters, as DuckDB's
 * `length` and `left` do.
 */
import { lengthLimitMessage } from "../engine/lengths.js"
import { boolOption, type Options } from "../stages/sqlText.js"

/** TRUNCATECOLUMNS = TRUE, or ENFORCE_LENGTH = FALSE (TRUNCATECOLUMNS wins when both are given). */
export const truncatesColumns = (options: Options): boolean =>
  boolOption(options, "TRUNCATECOLUMNS", !boolOption(options, "ENFORCE_LENGTH", true))

/**
 * The staged text `cell` for a column of `length` characters: cut to it when truncating; else, in
 * a TRY-conversion (`tryCast`), NULL when longer — the mark of a bad cell; else as it is.
 */
export const limitedText = (cell: string, length: number, tryCast: boolean, truncate: boolean): string => {
  if (truncate) return `left(${cell}, ${length})`
  return tryCast ? `CASE WHEN length(${cell}) <= ${length} THEN ${cell} END` : cell
}

/** A loaded cell longer than its column's length, in Snowflake's words (code 100074, SQL state 54000). */
export const lengthError = (length: number, value: string) => ({
  code: "100074",
  sqlState: "54000",
  message: lengthLimitMessage(length, value)
})
