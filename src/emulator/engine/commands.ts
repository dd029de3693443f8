/**
 * Statements the engine answers itself instead of handing them to DuckDB: USE, databases,
 * schemas, warehouses, SHOW and DESCRIBE. SHOW and DESCRIBE become queries over DuckDB's catalog
 * functions, so they go through the same result encoding as any SELECT.
 */
import { DECLARED_KINDS } from "./declaredKinds.js"
import { DECLARED_LENGTHS, MAX_LENGTH } from "./lengths.js"
import { quoteIdent, quoteString } from "./lexer.js"
import { readName, type Words } from "./words.js"

/** `LIKE 'pattern'` anywhere in a SHOW statement → a case-insensitive SQL predicate on `column`. */
export const likeFilter = (w: Words, column: string): string => {
  const at = w.upper.indexOf("LIKE")
  const pattern = at >= 0 ? w.tokens[at + 1] : undefined
  return pattern?.kind === "string" ? ` AND ${column} ILIKE ${pattern.text}` : ""
}

/** `IN DATABASE x` / `IN SCHEMA x.y` / `IN x` scope of a SHOW statement. */
export const inScope = (
  w: Words,
  database: string | null,
  schema: string | null
): { database: string | null; schema: string | null; account: boolean } => {
  const at = w.upper.indexOf("IN")
  if (at < 0) return { database, schema, account: false }
  const what = w.upper[at + 1]
  if (what === "ACCOUNT") return { database: null, schema: null, account: true }
  const start = what === "DATABASE" || what === "SCHEMA" ? at + 2 : at + 1
  const { parts } = readName(w, start)
  if (what === "DATABASE") return { database: parts[0] ?? database, schema: null, account: false }
  if (parts.length >= 2) return { database: parts[0] ?? database, schema: parts[1] ?? null, account: false }
  if (what === "SCHEMA") return { database, schema: parts[0] ?? null, account: false }
  return { database: parts[0] ?? database, schema: null, account: false }
}

export const INTERNAL_CATALOGS = "('system', 'temp', 'memory')"

export const showDatabasesSql = (w: Words, current: string | null, internal: string) =>
  `SELECT CAST(NULL AS TIMESTAMPTZ) AS "created_on", database_name AS "name",
     CASE WHEN database_name = 'EMULATOR' THEN 'Y' ELSE 'N' END AS "is_default",
     CASE WHEN database_name = ${quoteString(current ?? "")} THEN 'Y' ELSE 'N' END AS "is_current",
     '' AS "origin", 'SYSADMIN' AS "owner", coalesce(comment, '') AS "comment", '' AS "options",
     CAST(1 AS BIGINT) AS "retention_time", 'STANDARD' AS "kind"
   FROM duckdb_databases() WHERE NOT internal AND database_name NOT IN ${INTERNAL_CATALOGS}
     AND database_name <> ${quoteString(internal)}${likeFilter(w, "database_name")} ORDER BY database_name`

export const showSchemasSql = (w: Words, database: string | null, current: string | null) =>
  `SELECT CAST(NULL AS TIMESTAMPTZ) AS "created_on", schema_name AS "name", 'N' AS "is_default",
     CASE WHEN schema_name = ${quoteString(current ?? "")} THEN 'Y' ELSE 'N' END AS "is_current",
     database_name AS "database_name", 'SYSADMIN' AS "owner", coalesce(comment, '') AS "comment", '' AS "options",
     CAST(1 AS BIGINT) AS "retention_time"
   FROM (SELECT database_name, schema_name, comment FROM duckdb_schemas()
         UNION ALL SELECT ${quoteString(database ?? "")}, 'INFORMATION_SCHEMA', 'Views describing the contents of schemas in this database')
   WHERE database_name = ${quoteString(database ?? "")} AND schema_name NOT IN ('main', 'pg_catalog', 'information_schema')${likeFilter(w, "schema_name")}
   ORDER BY schema_name`

export const showTablesSql = (w: Words, database: string | null, schema: string | null, views: boolean) => {
  const schemaFilter = schema === null ? "" : ` AND schema_name = ${quoteString(schema)}`
  if (views) {
    return `SELECT CAST(NULL AS TIMESTAMPTZ) AS "created_on", view_name AS "name", '' AS "reserved",
       database_name AS "database_name", schema_name AS "schema_name", 'SYSADMIN' AS "owner",
       coalesce(comment, '') AS "comment", sql AS "text", 'false' AS "is_secure", 'false' AS "is_materialized"
     FROM duckdb_views() WHERE NOT internal AND database_name = ${quoteString(database ?? "")}${schemaFilter}${likeFilter(w, "view_name")}
     ORDER BY view_name`
  }
  return `SELECT CAST(NULL AS TIMESTAMPTZ) AS "created_on", table_name AS "name", database_name AS "database_name",
     schema_name AS "schema_name", CASE WHEN temporary THEN 'TEMPORARY' ELSE 'TABLE' END AS "kind",
     coalesce(comment, '') AS "comment", '' AS "cluster_by", CAST(estimated_size AS BIGINT) AS "rows",
     CAST(0 AS BIGINT) AS "bytes", 'SYSADMIN' AS "owner", CAST(1 AS BIGINT) AS "retention_time"
   FROM duckdb_tables() WHERE (database_name = ${quoteString(database ?? "")} OR temporary)${schemaFilter}${likeFilter(w, "table_name")}
   ORDER BY table_name`
}

export const showColumnsSql = (
  w: Words,
  database: string | null,
  schema: string | null,
  table: string | null
) =>
  `SELECT table_name AS "table_name", schema_name AS "schema_name", column_name AS "column_name",
     ${TEXT_TYPE_JSON} AS "data_type", CASE WHEN is_nullable THEN 'true' ELSE 'false' END AS "null?",
     coalesce(column_default, '') AS "default", 'COLUMN' AS "kind", '' AS "expression", coalesce(comment, '') AS "comment",
     database_name AS "database_name", '' AS "autoincrement"
   FROM duckdb_columns() LEFT JOIN ${DECLARED_LENGTHS} USING (table_oid, column_name)
     LEFT JOIN ${DECLARED_KINDS} USING (table_oid, column_name)
   WHERE database_name = ${quoteString(database ?? "")}
     ${schema === null ? "" : ` AND schema_name = ${quoteString(schema)}`}${table === null ? "" : ` AND table_name = ${quoteString(table)}`}${likeFilter(w, "column_name")}
   ORDER BY table_name, column_index`

/**
 * SHOW COLUMNS' data_type of a text column as Snowflake writes it, JSON with the declared length
 * (lengths.ts) and 4 bytes a character; other types keep their bare name.
 */
const TEXT_TYPE_JSON = `CASE WHEN data_type = 'VARCHAR' THEN '{"type":"TEXT","length":' || coalesce(max_length, ${MAX_LENGTH})
     || ',"byteLength":' || least(4 * coalesce(max_length, ${MAX_LENGTH}), ${MAX_LENGTH})
     || ',"nullable":' || CASE WHEN is_nullable THEN 'true' ELSE 'false' END || ',"fixed":false}'
     ELSE coalesce(declared_kind, SF_TYPE_NAME(data_type)) END`

/** DESCRIBE TABLE: Snowflake's columns and its type spelling (NUMBER(38,0), VARCHAR(10), VARCHAR(16777216), …). */
export const describeTableSql = (database: string, schema: string, table: string) =>
  `SELECT column_name AS "name",
     CASE WHEN data_type LIKE 'DECIMAL%' THEN replace(replace(data_type, 'DECIMAL', 'NUMBER'), ' ', '')
          WHEN data_type IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT') THEN 'NUMBER(38,0)'
          WHEN max_length IS NOT NULL THEN 'VARCHAR(' || max_length || ')'
          WHEN data_type = 'VARCHAR' THEN 'VARCHAR(16777216)'
          WHEN data_type = 'BLOB' THEN 'BINARY(8388608)'
          WHEN data_type = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_TZ(9)'
          WHEN data_type LIKE 'TIMESTAMP%' THEN 'TIMESTAMP_NTZ(9)'
          WHEN data_type = 'TIME' THEN 'TIME(9)'
          ELSE coalesce(declared_kind, SF_TYPE_NAME(data_type)) END AS "type",
     'COLUMN' AS "kind", CASE WHEN is_nullable THEN 'Y' ELSE 'N' END AS "null?", column_default AS "default",
     'N' AS "primary key", 'N' AS "unique key", CAST(NULL AS VARCHAR) AS "check", CAST(NULL AS VARCHAR) AS "expression",
     comment AS "comment", CAST(NULL AS VARCHAR) AS "policy name", CAST(NULL AS VARCHAR) AS "privacy domain"
   FROM duckdb_columns() LEFT JOIN ${DECLARED_LENGTHS} USING (table_oid, column_name)
     LEFT JOIN ${DECLARED_KINDS} USING (table_oid, column_name)
   WHERE database_name = ${quoteString(database)} AND schema_name = ${quoteString(schema)} AND table_name = ${quoteString(table)}
   ORDER BY column_index`

export const qualified = (parts: ReadonlyArray<string>) => parts.map(quoteIdent).join(".")
