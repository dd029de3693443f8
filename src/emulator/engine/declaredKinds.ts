/**
 * ARRAY and OBJECT columns: DuckDB keeps them as JSON, as it keeps VARIANT ones, so which of the
 * three a column was declared as would be lost (DESCRIBE said VARIANT for all; fakesnow#26 and #27
 * have the same gap). The declared type is kept as a CHECK constraint of the table, as the string
 * lengths are (lengths.ts), for the same reasons: it lives, is renamed and dies with its table and
 * is saved with the database file. This one is always true — it carries the type, and enforces
 * nothing (what Snowflake answers when a VARIANT holding an object goes into an ARRAY column is
 * not modelled):
 *
 *   CHECK (col IS NULL OR json_type(col) IS NOT NULL OR 'SF_KIND:ARRAY' IS NULL)
 */

import { createTableColumns } from "./declaredLengths.js"
import { identifierName, quoteIdent } from "./lexer.js"
import type { Words } from "./words.js"

const MARK = "SF_KIND:"

export type DeclaredKind = "ARRAY" | "OBJECT"

export interface KindColumn {
  readonly column: string
  readonly kind: DeclaredKind
}

/** The CHECK clause keeping `kind` for the column named `column`. */
export const kindCheck = (column: string, kind: DeclaredKind): string => {
  const c = quoteIdent(column)
  return `CHECK (${c} IS NULL OR json_type(${c}) IS NOT NULL OR '${MARK}${kind}' IS NULL)`
}

/** Every kept kind: `table_oid`, `column_name`, `declared_kind` (ARRAY or OBJECT). */
export const DECLARED_KINDS = `(SELECT table_oid, constraint_column_names[1] AS column_name,
    regexp_extract(expression, '${MARK}([A-Z]+)', 1) AS declared_kind
  FROM duckdb_constraints()
  WHERE constraint_type = 'CHECK' AND contains(expression, '${MARK}'))`

/** CREATE TABLE's columns declared ARRAY or OBJECT (bare: a structured ARRAY(…) is left alone). */
export const createTableKinds = (w: Words): Array<KindColumn> =>
  createTableColumns(w).flatMap((i) => {
    const type = w.upper[i + 1]
    const name = w.tokens[i]
    if ((type !== "ARRAY" && type !== "OBJECT") || w.upper[i + 2] === "(" || name === undefined) return []
    return [{ column: identifierName(name), kind: type }]
  })
