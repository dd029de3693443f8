/**
 * What `COPY INTO … VALIDATION_MODE = RETURN_ERRORS | RETURN_ALL_ERRORS` answers: one row per
 * error in the files the COPY would load, read into `CopyValidationError`s (`Ingestion.validate`).
 */
import { fieldOf, optionalNumber, optionalText } from "../rowFields.js"

/** One error a COPY would meet, where it is, and the record it would reject. */
export interface CopyValidationError {
  readonly error: string
  readonly file: string
  readonly line: number | undefined
  readonly character: number | undefined
  /** Bytes from the start of the (uncompressed) file to the error. */
  readonly byteOffset: number | undefined
  /** `parsing` (the record could not be read) or `conversion` (a field does not fit its column). */
  readonly category: string | undefined
  readonly code: string | undefined
  readonly sqlState: string | undefined
  /** `"TABLE"["COLUMN":n]` when a field is at fault. */
  readonly columnName: string | undefined
  /** The record's number in its file (1-based, records not lines). */
  readonly rowNumber: number | undefined
  readonly rowStartLine: number | undefined
  /** The record's text as it is in the file. */
  readonly rejectedRecord: string | undefined
}

export const parseValidationRows = (
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>
): ReadonlyArray<CopyValidationError> =>
  // no file to check answers one `status` row (`Copy executed with 0 files processed.`)
  rows
    .filter((row) => fieldOf(row, "error") !== undefined)
    .map((row) => ({
      error: String(fieldOf(row, "error") ?? ""),
      file: String(fieldOf(row, "file") ?? ""),
      line: optionalNumber(fieldOf(row, "line")),
      character: optionalNumber(fieldOf(row, "character")),
      byteOffset: optionalNumber(fieldOf(row, "byte_offset")),
      category: optionalText(fieldOf(row, "category")),
      code: optionalText(fieldOf(row, "code")),
      sqlState: optionalText(fieldOf(row, "sql_state")),
      columnName: optionalText(fieldOf(row, "column_name")),
      rowNumber: optionalNumber(fieldOf(row, "row_number")),
      rowStartLine: optionalNumber(fieldOf(row, "row_start_line")),
      rejectedRecord: optionalText(fieldOf(row, "rejected_record"))
    }))
