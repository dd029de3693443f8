/**
 * Snowflake → DuckDB translation, pass by pass, in the order they run. Our passes rewrite the
 * statement around polyglot's transpiler; each is a walk over the tokens with named rules
 * (cursor.ts), or a pass of its own over the statement. The context-free part is cached per
 * statement text; the session's part runs per execution; DDL has passes of its own.
 */
import { Dialect, transpile as polyglot } from "@polyglot-sql/sdk"
import {
  arrayType,
  contextFunctions,
  generatorSeq,
  informationSchema,
  jsonTextCast,
  mayRenameOrCast,
  renamedAfterPolyglot,
  type SessionFacts,
  sizedTextCasts,
  sizelessTimeAndBlob,
  textCasts,
  timestampPrecision,
  timestampTzLiteral,
  typeNames
} from "./afterPolyglot.js"
import {
  datePartCalls,
  flattenInput,
  jsonPathKeys,
  renamedCalls,
  toCharFormat,
  toNumberScale,
  upperCaseIdentifiers
} from "./beforePolyglot.js"
import type { StatementKind } from "./classify.js"
import { type Pass, walk } from "./cursor.js"
import { withLengthChecks } from "./lengthDdl.js"
import { aliasSelectItems } from "./selectNames.js"
import { type TypedCtas, typedCtas } from "./typedCtas.js"
import { valuesTables } from "./valuesTables.js"
import type { Words } from "./words.js"

export type { SessionFacts } from "./afterPolyglot.js"

/**
 * 0. Before all of them, a DDL statement DuckDB cannot run as one: CREATE TABLE … (column TYPE, …)
 * AS SELECT runs as its CREATE TABLE and its INSERT (typedCtas.ts), each translated on its own
 * (ddl.ts runs the two in one transaction).
 */
export const asDuckStatements = (sql: string, w: Words): TypedCtas | undefined => typedCtas(sql, w)

/** 1. Before polyglot, on Snowflake text. */
const BEFORE_POLYGLOT: ReadonlyArray<Pass> = [
  { name: "VALUES as a table", run: valuesTables }, // FROM VALUES (1, 'a') → FROM (VALUES …) AS SF_VALUES_n(COLUMN1, …)
  { name: "select items named as Snowflake names them", run: aliasSelectItems }, // COUNT(*) → COUNT(*) AS "COUNT(*)"
  walk("Snowflake calls and identifiers", [
    jsonPathKeys, // v:Key keeps its case
    datePartCalls, // DATEADD(day, …) → SF_DATEADD('day', …) | SF_TIMEADD
    toCharFormat, // TO_CHAR(d, 'YYYY') → STRFTIME(d, '%Y')
    toNumberScale, // TO_NUMBER(x, p, s) → CAST(x AS DECIMAL(p, s))
    flattenInput, // FLATTEN(INPUT => e) → SF_FLATTEN(e)
    renamedCalls, // ARRAY_SIZE( → SF_ARRAY_SIZE(, … (macros.ts)
    upperCaseIdentifiers // name → NAME
  ])
]

/** 2. polyglot, Snowflake → DuckDB. When it cannot parse a statement, DuckDB often can (its dialect is close): let DuckDB judge. */
const POLYGLOT: Pass = {
  name: "polyglot",
  run: (prepared) => {
    try {
      const result = polyglot(prepared, Dialect.Snowflake, Dialect.DuckDB)
      const only = result.success && result.sql?.length === 1 ? result.sql[0] : undefined
      return only ?? prepared
    } catch {
      return prepared
    }
  }
}

/** 3. After polyglot, on DuckDB text (cached with the passes before). */
const AFTER_POLYGLOT: ReadonlyArray<Pass> = [
  { name: "SEQn() of one GENERATOR as its row number", run: generatorSeq },
  walk(
    "DuckDB names and casts to text",
    [
      renamedAfterPolyglot, // SF_ARRAY_CONSTRUCT( → json_array(
      textCasts, // CAST(x AS VARCHAR) → SF_TO_TEXT(x)
      sizedTextCasts // CAST(x AS VARCHAR(n)) → SF_VARCHAR_CAST(SF_TO_TEXT(x), n)
    ],
    mayRenameOrCast
  )
]

/** 4. Per execution, with the session's facts. */
const IN_SESSION: ReadonlyArray<Pass<SessionFacts>> = [
  walk("session facts and DuckDB types", [
    contextFunctions, // CURRENT_DATABASE() → 'DB'
    informationSchema, // DB.INFORMATION_SCHEMA.TABLES → SF_IS_TABLES('DB') AS "TABLES"
    typeNames, // VARIANT → JSON, NUMBER → DECIMAL(38, 0), …
    timestampPrecision, // TIMESTAMP_NTZ(9) → TIMESTAMP
    sizelessTimeAndBlob, // TIME(3) → TIME
    arrayType, // ARRAY → JSON
    jsonTextCast, // CAST(j -> 'k' AS TEXT) → (j ->> 'k')
    timestampTzLiteral // CAST('… +05:30' AS TIMESTAMPTZ) → CAST('…+05:30' AS TIMESTAMPTZ)
  ])
]

/**
 * 5. DDL, with the Snowflake text beside the DuckDB one: CREATE TABLE keeps its declared string
 * lengths and ARRAY / OBJECT kinds as CHECK constraints (lengthDdl.ts).
 */
const DDL: ReadonlyArray<Pass<string>> = [
  {
    name: "declared lengths as checks",
    run: (duckSql, snowflakeSql) => withLengthChecks(snowflakeSql, duckSql)
  }
]

const CACHE_LIMIT = 500
const cache = new Map<string, string>()

const contextFree = (sql: string): string => {
  const cached = cache.get(sql)
  if (cached !== undefined) return cached
  let text = sql
  for (const pass of [...BEFORE_POLYGLOT, POLYGLOT, ...AFTER_POLYGLOT]) text = pass.run(text)
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next()
    if (!oldest.done) cache.delete(oldest.value)
  }
  cache.set(sql, text)
  return text
}

/** polyglot compiles its WASM module on first use (about a second): pay that when the engine starts. */
export const warmUp = (): void => {
  contextFree("SELECT 1")
}

/** The DuckDB text of one Snowflake statement of this kind, in this session. */
export const toDuckDb = (sql: string, facts: SessionFacts, kind?: StatementKind): string => {
  let text = contextFree(sql)
  for (const pass of IN_SESSION) text = pass.run(text, facts)
  if (kind === "ddl") for (const pass of DDL) text = pass.run(text, sql)
  return text
}
