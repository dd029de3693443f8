/**
 * Declared string lengths (VARCHAR(n), CHAR(n), STRING(n), …): DuckDB ignores them, so each one is
 * kept as a CHECK constraint of the table, in a shape only this file writes and reads:
 *
 *   CHECK (CASE WHEN n >= length(col) OR col IS NULL THEN true ELSE error('SF_TOO_LONG:' || col) END)
 *
 * A constraint lives and dies with its table, so DROP, CREATE OR REPLACE and RENAME (table or
 * column) keep it right without bookkeeping of ours, and it is saved with the database file. A
 * side table or column comments would have had to follow every rename and drop (and comments are
 * the user's). The same constraint enforces the length on every INSERT, UPDATE and MERGE: `error()`
 * carries the value out, and `fromTooLong` turns DuckDB's failure into Snowflake's. DuckDB's
 * `length` counts characters (code points), as Snowflake does: 'ü' and '😀' are one each.
 */
import { EngineError } from "./Engine.js"
import { quoteIdent } from "./lexer.js"

/** Snowflake's length of a VARCHAR declared without one (and the most a length check is kept for). */
export const MAX_LENGTH = 16777216

const MARKER = "SF_TOO_LONG:"

/** The CHECK clause keeping (and enforcing) `length` for the column named `column`. */
export const lengthCheck = (column: string, length: number): string => {
  const c = quoteIdent(column)
  return `CHECK (CASE WHEN ${length} >= length(${c}) OR ${c} IS NULL THEN true ELSE error('${MARKER}' || ${c}) END)`
}

/**
 * Every kept length: `table_oid`, `column_name`, `max_length` and the constraint's `expression`
 * (as DuckDB prints it back, which starts with the length: `CASE  WHEN (((10 >= length(…`).
 */
export const DECLARED_LENGTHS = `(SELECT table_oid, constraint_column_names[1] AS column_name,
    CAST(regexp_extract(expression, '^CASE\\s+WHEN\\s*\\(*(\\d+) >= length\\(', 1) AS BIGINT) AS max_length, expression
  FROM duckdb_constraints()
  WHERE constraint_type = 'CHECK' AND contains(expression, '''${MARKER}''')
    AND regexp_matches(expression, '^CASE\\s+WHEN\\s*\\(*\\d+ >= length\\('))`

/** `CAST(x AS VARCHAR(n))`: Snowflake fails where DuckDB would keep the whole string. */
export const CAST_MACRO = `CREATE OR REPLACE TEMP MACRO SF_VARCHAR_CAST(x, n) AS
  CASE WHEN x IS NULL OR length(x) <= n THEN x ELSE CAST(error('${MARKER}' || x) AS VARCHAR) END`

/**
 * A value as Snowflake quotes it in these errors: whole up to 200 characters, else its first 200
 * then `...` (seen in a real 100078: `String 'AUTO-ADEmail=…EmployeeClassifica...' is too long`,
 * 200 characters before the dots). The 100074 text is assumed to cut the same way.
 */
export const quotedValue = (value: string): string => {
  const chars = Array.from(value)
  return chars.length > 200 ? `${chars.slice(0, 200).join("")}...` : value
}

/** INSERT / UPDATE / MERGE / CAST of a string longer than its column's (or type's) length. */
export const tooLong = (value: string): EngineError => EngineError.tooLong(quotedValue(value))

/** A loaded cell (COPY, stage binds) longer than its column's length: 100074, SQL state 54000. */
export const lengthLimitMessage = (length: number, value: string): string =>
  `User character length limit (${length}) exceeded by string '${quotedValue(value)}'`

/**
 * DuckDB's failure of a length check or of SF_VARCHAR_CAST as Snowflake's error. The value runs
 * from the marker to the end: `… (Error: SF_TOO_LONG:<value>)` for a constraint,
 * `Invalid Input Error: SF_TOO_LONG:<value>` for the cast.
 */
export const fromTooLong = (raw: string): EngineError | undefined => {
  const inCheck = raw.indexOf(`(Error: ${MARKER}`)
  if (raw.startsWith("Constraint Error:") && inCheck >= 0 && raw.endsWith(")"))
    return tooLong(raw.slice(inCheck + `(Error: ${MARKER}`.length, -1))
  const direct = `Invalid Input Error: ${MARKER}`
  if (raw.startsWith(direct)) return tooLong(raw.slice(direct.length))
  return undefined
}
