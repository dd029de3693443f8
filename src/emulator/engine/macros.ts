/**
 * DuckDB macros for Snowflake functions that polyglot does not translate (or translates with a
 * different answer). They are TEMP macros, created on every session's connection, so they resolve
 * whatever database/schema the session has in USE. Values were checked against the examples of
 * Snowflake's function documentation (see test/emulator/engine/functions.test.ts).
 */
import { DECLARED_KINDS } from "./declaredKinds.js"
import { CAST_MACRO, DECLARED_LENGTHS } from "./lengths.js"

export const MACROS: ReadonlyArray<string> = [
  // DATEDIFF counts boundaries crossed, on timestamps (not dates: minute/hour parts must not be truncated)
  `CREATE OR REPLACE TEMP MACRO SF_DATEDIFF(part, a, b) AS date_diff(part, CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP))`,
  // The interval DATEADD adds, for every date and time part name Snowflake accepts here.
  `CREATE OR REPLACE TEMP MACRO SF_INTERVAL(part, n) AS CASE
      WHEN lower(part) IN ('year', 'years', 'y', 'yy', 'yyyy', 'yr', 'yrs') THEN to_years(CAST(n AS INTEGER))
      WHEN lower(part) IN ('quarter', 'quarters', 'q', 'qtr', 'qtrs') THEN to_months(CAST(n AS INTEGER) * 3)
      WHEN lower(part) IN ('month', 'months', 'mm', 'mon', 'mons') THEN to_months(CAST(n AS INTEGER))
      WHEN lower(part) IN ('week', 'weeks', 'w', 'wk', 'weekofyear', 'woy', 'wy') THEN to_days(CAST(n AS INTEGER) * 7)
      WHEN lower(part) IN ('day', 'days', 'd', 'dd', 'dayofmonth') THEN to_days(CAST(n AS INTEGER))
      WHEN lower(part) IN ('hour', 'hours', 'h', 'hh', 'hr', 'hrs') THEN to_hours(CAST(n AS BIGINT))
      WHEN lower(part) IN ('minute', 'minutes', 'm', 'mi', 'min', 'mins') THEN to_minutes(CAST(n AS BIGINT))
      WHEN lower(part) IN ('second', 'seconds', 's', 'sec', 'secs') THEN to_seconds(CAST(n AS BIGINT))
      WHEN lower(part) IN ('millisecond', 'milliseconds', 'ms', 'msec') THEN to_milliseconds(CAST(n AS BIGINT))
      WHEN lower(part) IN ('microsecond', 'microseconds', 'us', 'usec') THEN to_microseconds(CAST(n AS BIGINT))
      WHEN lower(part) IN ('nanosecond', 'nanoseconds', 'ns', 'nsec') THEN to_microseconds(CAST(n AS BIGINT) // 1000)
      END`,
  // DATEADD with a date part (year … day; rewrite.ts picks it by the part's name) keeps the input's
  // type like Snowflake: a DATE stays a DATE, timestamps keep their kind; month ends are clamped.
  // Typed overloads need DuckDB ≥ 1.3; the untyped one takes strings (read as timestamps) and NULL.
  `CREATE OR REPLACE TEMP MACRO SF_DATEADD(part, n, x DATE) AS CAST(CAST(x AS TIMESTAMP) + SF_INTERVAL(part, n) AS DATE),
     (part, n, x TIMESTAMP) AS x + SF_INTERVAL(part, n),
     (part, n, x TIMESTAMPTZ) AS x + SF_INTERVAL(part, n),
     (part, n, x) AS CAST(x AS TIMESTAMP) + SF_INTERVAL(part, n)`,
  // DATEADD with a time part (hour … nanosecond): a DATE becomes a TIMESTAMP, a TIME stays a TIME.
  // (Every type gets its own overload: DuckDB would otherwise pick TIMESTAMPTZ for a DATE or TIMESTAMP.)
  `CREATE OR REPLACE TEMP MACRO SF_TIMEADD(part, n, x TIME) AS x + SF_INTERVAL(part, n),
     (part, n, x DATE) AS CAST(x AS TIMESTAMP) + SF_INTERVAL(part, n),
     (part, n, x TIMESTAMP) AS x + SF_INTERVAL(part, n),
     (part, n, x TIMESTAMPTZ) AS x + SF_INTERVAL(part, n),
     (part, n, x) AS CAST(x AS TIMESTAMP) + SF_INTERVAL(part, n)`,
  `CREATE OR REPLACE TEMP MACRO SF_ARRAY_SIZE(j) AS json_array_length(CAST(j AS JSON))`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_BINARY(x, fmt := 'HEX') AS CASE upper(fmt) WHEN 'UTF-8' THEN encode(x) WHEN 'UTF8' THEN encode(x) WHEN 'BASE64' THEN from_base64(x) ELSE unhex(x) END`,
  // A VARIANT cast to text: a JSON string is its text (no quotes), JSON null is NULL, anything else
  // its JSON text; other types cast as before. (Not typed overloads: DuckDB casts VARCHAR and
  // DECIMAL to JSON implicitly and would pick the JSON one for them.)
  `CREATE OR REPLACE TEMP MACRO SF_TO_TEXT(x) AS CASE WHEN typeof(x) = 'JSON' THEN json_extract_string(CAST(x AS JSON), '$') ELSE CAST(x AS VARCHAR) END`,
  `CREATE OR REPLACE TEMP MACRO SF_ZEROIFNULL(x) AS coalesce(x, 0)`,
  // TYPEOF: the type of the value a VARIANT holds, in Snowflake's names (DuckDB's typeof says JSON
  // for every one); JSON numbers are INTEGER, DECIMAL or (written with an exponent) DOUBLE — though
  // DuckDB's JSON keeps 1e5 as 100000.0, a DECIMAL here. Any other value is typed as it would be
  // once made a VARIANT. SQL NULL is NULL.
  // (The JSON branch reads the value as text first: DuckDB cannot bind every type's cast to JSON.)
  `CREATE OR REPLACE TEMP MACRO SF_TYPEOF(x) AS CASE
      WHEN x IS NULL THEN NULL
      WHEN typeof(x) = 'JSON' THEN CASE json_type(CAST(CAST(x AS VARCHAR) AS JSON))
        WHEN 'NULL' THEN 'NULL_VALUE'
        WHEN 'BIGINT' THEN 'INTEGER'
        WHEN 'UBIGINT' THEN 'INTEGER'
        WHEN 'DOUBLE' THEN CASE
          WHEN regexp_matches(CAST(x AS VARCHAR), '^-?[0-9]+$') THEN 'INTEGER'
          WHEN regexp_matches(CAST(x AS VARCHAR), '[eE]') THEN 'DOUBLE'
          ELSE 'DECIMAL' END
        ELSE json_type(CAST(CAST(x AS VARCHAR) AS JSON)) END
      WHEN regexp_matches(typeof(x), '^(U?TINYINT|U?SMALLINT|U?INTEGER|U?BIGINT|U?HUGEINT|DECIMAL\\([0-9]+,0\\))$') THEN 'INTEGER'
      WHEN starts_with(typeof(x), 'DECIMAL') THEN 'DECIMAL'
      WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN 'DOUBLE'
      WHEN typeof(x) = 'TIMESTAMP' THEN 'TIMESTAMP_NTZ'
      WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_TZ'
      WHEN typeof(x) = 'BLOB' THEN 'BINARY'
      WHEN starts_with(typeof(x), 'STRUCT') OR starts_with(typeof(x), 'MAP') THEN 'OBJECT'
      WHEN ends_with(typeof(x), ']') THEN 'ARRAY'
      ELSE typeof(x) END`,
  // IS_<type>(variant): what TYPEOF says; IS_DECIMAL takes integers too, IS_DOUBLE / IS_REAL every number
  `CREATE OR REPLACE TEMP MACRO IS_OBJECT(x) AS SF_TYPEOF(x) = 'OBJECT'`,
  `CREATE OR REPLACE TEMP MACRO IS_ARRAY(x) AS SF_TYPEOF(x) = 'ARRAY'`,
  `CREATE OR REPLACE TEMP MACRO IS_INTEGER(x) AS SF_TYPEOF(x) = 'INTEGER'`,
  `CREATE OR REPLACE TEMP MACRO IS_DECIMAL(x) AS SF_TYPEOF(x) IN ('INTEGER', 'DECIMAL')`,
  `CREATE OR REPLACE TEMP MACRO IS_DOUBLE(x) AS SF_TYPEOF(x) IN ('INTEGER', 'DECIMAL', 'DOUBLE')`,
  `CREATE OR REPLACE TEMP MACRO IS_REAL(x) AS SF_TYPEOF(x) IN ('INTEGER', 'DECIMAL', 'DOUBLE')`,
  `CREATE OR REPLACE TEMP MACRO IS_VARCHAR(x) AS SF_TYPEOF(x) = 'VARCHAR'`,
  `CREATE OR REPLACE TEMP MACRO IS_CHAR(x) AS SF_TYPEOF(x) = 'VARCHAR'`,
  `CREATE OR REPLACE TEMP MACRO IS_BOOLEAN(x) AS SF_TYPEOF(x) = 'BOOLEAN'`,
  `CREATE OR REPLACE TEMP MACRO IS_NULL_VALUE(x) AS SF_TYPEOF(x) = 'NULL_VALUE'`,
  // GET(variant, index | key): 0-based as Snowflake's arrays; a key names an object's member
  `CREATE OR REPLACE TEMP MACRO SF_GET(x, k) AS CAST(x AS JSON)[k]`,
  // GET_PATH(variant, 'a.b[0]'): polyglot writes it for a variant path inside a function it does not know
  `CREATE OR REPLACE TEMP MACRO GET_PATH(x, p) AS json_extract(CAST(x AS JSON), CASE WHEN starts_with(p, '[') THEN '$' || p ELSE '$.' || p END)`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_NUMBER(x) AS CAST(round(CAST(x AS DECIMAL(38, 9))) AS DECIMAL(38, 0))`,
  `CREATE OR REPLACE TEMP MACRO SF_TRY_TO_NUMBER(x) AS CAST(round(TRY_CAST(x AS DECIMAL(38, 9))) AS DECIMAL(38, 0))`,
  `CREATE OR REPLACE TEMP MACRO SF_TO_TIMESTAMP(x) AS CAST(x AS TIMESTAMP)`,
  // text may have a space before its offset, as Snowflake prints it (`… 03:04:05.123 +0530`)
  `CREATE OR REPLACE TEMP MACRO SF_TO_TIMESTAMP_TZ(x VARCHAR) AS CAST(regexp_replace(trim(x), '\\s+([+-][0-9]{2}:?[0-9]{2})$', '\\1') AS TIMESTAMPTZ),
     (x) AS CAST(x AS TIMESTAMPTZ)`,
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
            coalesce(declared_kind, SF_TYPE_NAME(data_type)) AS "DATA_TYPE",
            CASE WHEN data_type IN ('VARCHAR', 'JSON') THEN coalesce(max_length, 16777216) END AS "CHARACTER_MAXIMUM_LENGTH",
            CASE WHEN data_type IN ('VARCHAR', 'JSON') THEN least(4 * coalesce(max_length, 16777216), 16777216) END AS "CHARACTER_OCTET_LENGTH",
            CASE WHEN data_type LIKE 'DECIMAL%' OR data_type IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT') THEN coalesce(numeric_precision, 38) END AS "NUMERIC_PRECISION",
            CASE WHEN data_type LIKE 'DECIMAL%' OR data_type IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT') THEN coalesce(numeric_scale, 0) END AS "NUMERIC_SCALE",
            comment AS "COMMENT"
     FROM duckdb_columns() LEFT JOIN ${DECLARED_LENGTHS} USING (table_oid, column_name)
       LEFT JOIN ${DECLARED_KINDS} USING (table_oid, column_name)
     WHERE database_name = db`,
  `CREATE OR REPLACE TEMP MACRO SF_IS_SCHEMATA(db) AS TABLE
     SELECT database_name AS "CATALOG_NAME", schema_name AS "SCHEMA_NAME", 'SYSADMIN' AS "SCHEMA_OWNER", comment AS "COMMENT"
     FROM duckdb_schemas() WHERE database_name = db`,
  `CREATE OR REPLACE TEMP MACRO SF_IS_VIEWS(db) AS TABLE
     SELECT database_name AS "TABLE_CATALOG", schema_name AS "TABLE_SCHEMA", view_name AS "TABLE_NAME", sql AS "VIEW_DEFINITION"
     FROM duckdb_views() WHERE database_name = db AND NOT internal`,
  `CREATE OR REPLACE TEMP MACRO SF_IS_DATABASES(db) AS TABLE
     SELECT database_name AS "DATABASE_NAME", 'SYSADMIN' AS "DATABASE_OWNER", comment AS "COMMENT"
     FROM duckdb_databases() WHERE NOT internal AND database_name NOT IN ('memory', 'system', 'temp')`,
  CAST_MACRO
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
