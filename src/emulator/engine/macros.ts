/**
 * DuckDB macros for Snowflake functions that polyglot does not translate (or translates with a
 * different answer). They are TEMP macros, created on every session's connection, so they resolve
 * whatever database/schema the session has in USE. Values were checked against the examples of
 * Snowflake's function documentation (see test/emulator/engine/functions.test.ts).
 */
export const MACROS: ReadonlyArray<string> = [
  // DATEDIFF counts boundaries crossed, on timestamps (not dates: minute/hour parts must not be truncated)
  `CREATE OR REPLACE TEMP MACRO SF_DATEDIFF(part, a, b) AS date_diff(part, CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP))`,
  // DATEADD on timestamps; clamps month ends like Snowflake. Known difference: a DATE input comes back as TIMESTAMP
  `CREATE OR REPLACE TEMP MACRO SF_DATEADD(part, n, x) AS (CAST(x AS TIMESTAMP) + CASE lower(part)
      WHEN 'year' THEN to_years(CAST(n AS INTEGER)) WHEN 'years' THEN to_years(CAST(n AS INTEGER)) WHEN 'y' THEN to_years(CAST(n AS INTEGER)) WHEN 'yy' THEN to_years(CAST(n AS INTEGER)) WHEN 'yyyy' THEN to_years(CAST(n AS INTEGER))
      WHEN 'quarter' THEN to_months(CAST(n AS INTEGER) * 3) WHEN 'q' THEN to_months(CAST(n AS INTEGER) * 3)
      WHEN 'month' THEN to_months(CAST(n AS INTEGER)) WHEN 'months' THEN to_months(CAST(n AS INTEGER)) WHEN 'mm' THEN to_months(CAST(n AS INTEGER)) WHEN 'mon' THEN to_months(CAST(n AS INTEGER))
      WHEN 'week' THEN to_days(CAST(n AS INTEGER) * 7) WHEN 'w' THEN to_days(CAST(n AS INTEGER) * 7) WHEN 'wk' THEN to_days(CAST(n AS INTEGER) * 7)
      WHEN 'day' THEN to_days(CAST(n AS INTEGER)) WHEN 'days' THEN to_days(CAST(n AS INTEGER)) WHEN 'd' THEN to_days(CAST(n AS INTEGER)) WHEN 'dd' THEN to_days(CAST(n AS INTEGER))
      WHEN 'hour' THEN to_hours(CAST(n AS BIGINT)) WHEN 'hours' THEN to_hours(CAST(n AS BIGINT)) WHEN 'h' THEN to_hours(CAST(n AS BIGINT)) WHEN 'hh' THEN to_hours(CAST(n AS BIGINT))
      WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT)) WHEN 'minutes' THEN to_minutes(CAST(n AS BIGINT)) WHEN 'mi' THEN to_minutes(CAST(n AS BIGINT)) WHEN 'm' THEN to_minutes(CAST(n AS BIGINT))
      WHEN 'second' THEN to_seconds(CAST(n AS BIGINT)) WHEN 'seconds' THEN to_seconds(CAST(n AS BIGINT)) WHEN 's' THEN to_seconds(CAST(n AS BIGINT)) WHEN 'ss' THEN to_seconds(CAST(n AS BIGINT))
      WHEN 'millisecond' THEN to_milliseconds(CAST(n AS BIGINT)) WHEN 'ms' THEN to_milliseconds(CAST(n AS BIGINT))
      WHEN 'microsecond' THEN to_microseconds(CAST(n AS BIGINT)) WHEN 'us' THEN to_microseconds(CAST(n AS BIGINT))
      WHEN 'nanosecond' THEN to_microseconds(CAST(n AS BIGINT) // 1000) WHEN 'ns' THEN to_microseconds(CAST(n AS BIGINT) // 1000)
      END)`,
  `CREATE OR REPLACE TEMP MACRO SF_ARRAY_SIZE(j) AS json_array_length(CAST(j AS JSON))`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_BINARY(x, fmt := 'HEX') AS CASE upper(fmt) WHEN 'UTF-8' THEN encode(x) WHEN 'UTF8' THEN encode(x) WHEN 'BASE64' THEN from_base64(x) ELSE unhex(x) END`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_VARCHAR(x) AS CAST(x AS VARCHAR)`,
  `CREATE OR REPLACE TEMP MACRO SF_ZEROIFNULL(x) AS coalesce(x, 0)`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_NUMBER(x) AS CAST(round(CAST(x AS DECIMAL(38, 9))) AS DECIMAL(38, 0))`,
  `CREATE OR REPLACE TEMP MACRO SF_TRY_TO_NUMBER(x) AS CAST(round(TRY_CAST(x AS DECIMAL(38, 9))) AS DECIMAL(38, 0))`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_TIMESTAMP(x) AS CAST(x AS TIMESTAMP)`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_TIMESTAMP_TZ(x) AS CAST(x AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE TEMP MACRO SF_UNIFORM(lo, hi, gen) AS CAST(floor(lo + random() * (hi - lo + 1)) AS BIGINT)`,
  `CREATE OR REPLACE TEMP MACRO SF_FLATTEN(j) AS TABLE
     SELECT CAST(row_number() OVER () AS BIGINT) AS "SEQ",
            CASE WHEN json_type(CAST(j AS JSON)) = 'OBJECT' THEN e.key END AS "KEY",
            e.fullkey AS "PATH",
            CASE WHEN json_type(CAST(j AS JSON)) = 'ARRAY' THEN CAST(e.key AS BIGINT) END AS "INDEX",
            CAST(e.value AS JSON) AS "VALUE",
            CAST(j AS JSON) AS "THIS"
     FROM json_each(CAST(j AS JSON)) AS e`,
  `CREATE OR REPLACE TEMP MACRO SF_IS_TABLES(db) AS TABLE
     SELECT database_name AS "TABLE_CATALOG", schema_name AS "TABLE_SCHEMA", table_name AS "TABLE_NAME",
            CASE WHEN temporary THEN 'TEMPORARY TABLE' ELSE 'BASE TABLE' END AS "TABLE_TYPE",
            'SYSADMIN' AS "TABLE_OWNER", estimated_size AS "ROW_COUNT", CAST(NULL AS BIGINT) AS "BYTES",
            CAST(NULL AS TIMESTAMPTZ) AS "CREATED", CAST(NULL AS TIMESTAMPTZ) AS "LAST_ALTERED", comment AS "COMMENT"
     FROM duckdb_tables() WHERE database_name = db
     UNION ALL
     SELECT database_name, schema_name, view_name, 'VIEW', 'SYSADMIN', NULL, NULL, NULL, NULL, comment
     FROM duckdb_views() WHERE database_name = db AND NOT internal`,
  `CREATE OR REPLACE TEMP MACRO SF_IS_COLUMNS(db) AS TABLE
     SELECT database_name AS "TABLE_CATALOG", schema_name AS "TABLE_SCHEMA", table_name AS "TABLE_NAME",
            column_name AS "COLUMN_NAME", column_index AS "ORDINAL_POSITION", column_default AS "COLUMN_DEFAULT",
            CASE WHEN is_nullable THEN 'YES' ELSE 'NO' END AS "IS_NULLABLE",
            SF_TYPE_NAME(data_type) AS "DATA_TYPE",
            CASE WHEN data_type IN ('VARCHAR', 'JSON') THEN 16777216 END AS "CHARACTER_MAXIMUM_LENGTH",
            CASE WHEN data_type IN ('VARCHAR', 'JSON') THEN 16777216 END AS "CHARACTER_OCTET_LENGTH",
            CASE WHEN data_type LIKE 'DECIMAL%' OR data_type IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT') THEN coalesce(numeric_precision, 38) END AS "NUMERIC_PRECISION",
            CASE WHEN data_type LIKE 'DECIMAL%' OR data_type IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT') THEN coalesce(numeric_scale, 0) END AS "NUMERIC_SCALE",
            comment AS "COMMENT"
     FROM duckdb_columns() WHERE database_name = db`,
  `CREATE OR REPLACE TEMP MACRO SF_IS_SCHEMATA(db) AS TABLE
     SELECT database_name AS "CATALOG_NAME", schema_name AS "SCHEMA_NAME", 'SYSADMIN' AS "SCHEMA_OWNER", comment AS "COMMENT"
     FROM duckdb_schemas() WHERE database_name = db`,
  `CREATE OR REPLACE TEMP MACRO SF_IS_VIEWS(db) AS TABLE
     SELECT database_name AS "TABLE_CATALOG", schema_name AS "TABLE_SCHEMA", view_name AS "TABLE_NAME", sql AS "VIEW_DEFINITION"
     FROM duckdb_views() WHERE database_name = db AND NOT internal`,
  `CREATE OR REPLACE TEMP MACRO SF_IS_DATABASES(db) AS TABLE
     SELECT database_name AS "DATABASE_NAME", 'SYSADMIN' AS "DATABASE_OWNER", comment AS "COMMENT"
     FROM duckdb_databases() WHERE NOT internal AND database_name NOT IN ('memory', 'system', 'temp')`
]

/** DuckDB type text → Snowflake's upper-case type name (information schema, DESCRIBE, SHOW COLUMNS). */
export const TYPE_NAME_MACRO = `CREATE OR REPLACE TEMP MACRO SF_TYPE_NAME(t) AS CASE
  WHEN t LIKE 'DECIMAL%' OR t IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT', 'UBIGINT') THEN 'NUMBER'
  WHEN t = 'VARCHAR' THEN 'TEXT'
  WHEN t IN ('DOUBLE', 'FLOAT') THEN 'FLOAT'
  WHEN t = 'JSON' THEN 'VARIANT'
  WHEN t = 'BLOB' THEN 'BINARY'
  WHEN t LIKE 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_TZ'
  WHEN t LIKE 'TIMESTAMP%' THEN 'TIMESTAMP_NTZ'
  WHEN t LIKE '%[]' THEN 'ARRAY'
  WHEN t LIKE 'STRUCT%' OR t LIKE 'MAP%' THEN 'OBJECT'
  ELSE t END`
