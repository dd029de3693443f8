/**
 * Safe spelling of identifiers and string literals for Snowflake SQL text, for the few places
 * where a value cannot be a bind parameter (object names, COPY options, SHOW ... LIKE).
 */

/**
 * Snowflake's reserved keywords (docs: "Reserved & limited keywords"). An identifier equal to
 * one of them must be quoted.
 */
const reserved: ReadonlySet<string> = new Set([
  "ACCOUNT",
  "ALL",
  "ALTER",
  "AND",
  "ANY",
  "AS",
  "ASOF",
  "BETWEEN",
  "BY",
  "CASE",
  "CAST",
  "CHECK",
  "COLUMN",
  "CONNECT",
  "CONNECTION",
  "CONSTRAINT",
  "CREATE",
  "CROSS",
  "CURRENT",
  "CURRENT_DATE",
  "CURRENT_TIME",
  "CURRENT_TIMESTAMP",
  "CURRENT_USER",
  "DATABASE",
  "DELETE",
  "DISTINCT",
  "DROP",
  "ELSE",
  "EXISTS",
  "FALSE",
  "FOLLOWING",
  "FOR",
  "FROM",
  "FULL",
  "GRANT",
  "GROUP",
  "GSCLUSTER",
  "HAVING",
  "ILIKE",
  "IN",
  "INCREMENT",
  "INNER",
  "INSERT",
  "INTERSECT",
  "INTO",
  "IS",
  "ISSUE",
  "JOIN",
  "LATERAL",
  "LEFT",
  "LIKE",
  "LOCALTIME",
  "LOCALTIMESTAMP",
  "MATCH_CONDITION",
  "MINUS",
  "NATURAL",
  "NOT",
  "NULL",
  "OF",
  "ON",
  "OR",
  "ORDER",
  "ORGANIZATION",
  "QUALIFY",
  "REGEXP",
  "REVOKE",
  "RIGHT",
  "RLIKE",
  "ROW",
  "ROWS",
  "SAMPLE",
  "SCHEMA",
  "SELECT",
  "SET",
  "SOME",
  "START",
  "TABLE",
  "TABLESAMPLE",
  "THEN",
  "TO",
  "TRIGGER",
  "TRUE",
  "TRY_CAST",
  "UNION",
  "UNIQUE",
  "UPDATE",
  "USING",
  "VALUES",
  "VIEW",
  "WHEN",
  "WHENEVER",
  "WHERE",
  "WINDOW",
  "WITH"
])

const unquotedSafe = /^[A-Za-z_][A-Za-z0-9_$]*$/

/** Whether `name` is one of Snowflake's reserved keywords (case-insensitive). */
export const isReserved = (name: string): boolean => reserved.has(name.toUpperCase())

/**
 * Quotes an identifier when Snowflake requires it: names matching `^[A-Za-z_][A-Za-z0-9_$]*$`
 * that are not reserved are returned as they are, everything else is wrapped in `"` with inner
 * `"` doubled. Note that Snowflake resolves unquoted names upper-case (`orders` is `ORDERS`);
 * use `quoteIdentifierExact` to keep a mixed-case name's case.
 */
export const quoteIdentifier = (name: string): string =>
  unquotedSafe.test(name) && !isReserved(name) ? name : quoteIdentifierExact(name)

/** Always quotes: the name is matched exactly, case included. */
export const quoteIdentifierExact = (name: string): string => `"${name.replaceAll('"', '""')}"`

/**
 * Quotes each part of a dotted name (`db.schema.table` given as separate parts) and joins them
 * with `.`.
 */
export const qualifiedName = (...parts: ReadonlyArray<string>): string => parts.map(quoteIdentifier).join(".")

const quotedPart = /^"(?:[^"]|"")+"$/

/**
 * The parts of an object name as SQL. An array holds the names themselves (each quoted where
 * needed, `quoteIdentifier`). A string is a dotted name as SQL writes it: `db.schema.table`,
 * any part double-quoted to keep its case or its spaces and dots (`other."My Table"`), kept as
 * written; a bare part is quoted where needed (`other.My Table` still names "My Table"). Dots
 * inside quotes do not split.
 */
export const nameParts = (name: string | ReadonlyArray<string>): ReadonlyArray<string> => {
  if (typeof name !== "string") return name.map(quoteIdentifier)
  const parts: Array<string> = []
  let current = ""
  let quoted = false
  for (const c of name) {
    if (c === '"') quoted = !quoted
    if (c === "." && !quoted) {
      parts.push(current)
      current = ""
    } else current += c
  }
  parts.push(current)
  return parts.map((part) => {
    const trimmed = part.trim()
    return quotedPart.test(trimmed) ? trimmed : quoteIdentifier(trimmed)
  })
}

/** An object name as SQL (`nameParts` joined with `.`). */
export const sqlName = (name: string | ReadonlyArray<string>): string => nameParts(name).join(".")

/**
 * A single-quoted string literal. Snowflake treats backslash as an escape character inside
 * single-quoted strings, so backslashes are doubled as well as quotes.
 */
export const literal = (value: string): string => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`
