/**
 * DDL that declares string lengths, kept as the CHECK constraints of lengths.ts. CREATE TABLE gets
 * its checks in its column list. DuckDB can neither add a constraint to a table (ALTER TABLE …
 * ADD CONSTRAINT, ADD COLUMN … CHECK) nor change the type of a column a check names, so ADD COLUMN
 * with a length and a VARCHAR length change rebuild the table: DuckDB's own CREATE TABLE text for
 * it (duckdb_tables().sql, defaults and other constraints included) with the checks changed, the
 * rows copied over, the old table dropped and the new one renamed, comments put back — in one
 * transaction when the session is not already in one. (Indexes are not rebuilt.)
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { TokenCursor, textOf } from "./cursor.js"
import { createTableKinds, kindCheck } from "./declaredKinds.js"
import { type AlterLengths, createTableLengths, type DeclaredLength } from "./declaredLengths.js"
import { type DuckFailure, queryRows, runStatement } from "./duck.js"
import type { SessionContext } from "./Engine.js"
import { EngineError } from "./Engine.js"
import { DECLARED_LENGTHS, lengthCheck, MAX_LENGTH } from "./lengths.js"
import { quoteIdent, quoteString } from "./lexer.js"
import { words } from "./words.js"

const checks = (declared: ReadonlyArray<DeclaredLength>) =>
  declared
    .filter((d) => d.length < MAX_LENGTH)
    .map((d) => `, ${lengthCheck(d.column, d.length)}`)
    .join("")

/** A CREATE TABLE's DuckDB text with a length check per declared length, closing its column list. */
export const withLengthChecks = (sql: string, duckSql: string): string => {
  const w = words(sql)
  // and the ARRAY / OBJECT columns' declared types (declaredKinds.ts)
  const added =
    checks(createTableLengths(w)) +
    createTableKinds(w)
      .map((k) => `, ${kindCheck(k.column, k.kind)}`)
      .join("")
  if (added === "") return duckSql
  const cursor = TokenCursor.of(duckSql)
  const open = cursor.tokens.findIndex((t) => t.kind === "punct" && t.text === "(")
  const close = open < 0 ? -1 : cursor.closing(open)
  if (close < 0) return duckSql
  return cursor.text(0, close) + added + cursor.text(close)
}

interface TableInfo {
  readonly oid: number
  /** Fully qualified DuckDB name. */
  readonly sql: string
  readonly name: string
  readonly create: string
  readonly comment: string | null
  readonly temporary: boolean
  readonly database: string
  readonly schema: string
  /** `"database"."schema".` */
  readonly prefix: string
}

const findTable = (connection: DuckDBConnection, parts: ReadonlyArray<string>, ctx: SessionContext) =>
  Effect.gen(function* () {
    const name = parts[parts.length - 1] as string
    const schema = parts.length >= 2 ? (parts[parts.length - 2] as string) : (ctx.schema ?? "")
    const database = parts.length >= 3 ? (parts[0] as string) : (ctx.database ?? "")
    const temp = parts.length === 1 ? "database_name = 'temp' OR " : ""
    const rows = yield* queryRows(
      connection,
      `SELECT table_oid, database_name, schema_name, sql, comment, temporary FROM duckdb_tables()
       WHERE table_name = ${quoteString(name)}
         AND (${temp}(database_name = ${quoteString(database)} AND schema_name = ${quoteString(schema)}))
       ORDER BY database_name = 'temp' DESC LIMIT 1`
    )
    const row = rows[0]
    if (row === undefined) return undefined
    const prefix = `${quoteIdent(String(row[1]))}.${quoteIdent(String(row[2]))}.`
    return {
      oid: Number(row[0]),
      sql: `${prefix}${quoteIdent(name)}`,
      name,
      create: String(row[3]),
      comment: row[4] === null ? null : String(row[4]),
      temporary: row[5] === true,
      database: String(row[1]),
      schema: String(row[2]),
      prefix
    } satisfies TableInfo
  })

/** The table's kept lengths: column → its length and its constraint's expression. */
const keptLengths = (connection: DuckDBConnection, oid: number) =>
  Effect.map(
    queryRows(
      connection,
      `SELECT column_name, max_length, expression FROM ${DECLARED_LENGTHS} WHERE table_oid = ${oid}`
    ),
    (rows) => new Map(rows.map((r) => [String(r[0]), { length: Number(r[1]), expression: String(r[2]) }]))
  )

const transactionId = (connection: DuckDBConnection) =>
  queryRows(connection, "SELECT txid_current()").pipe(Effect.map((rows) => String(rows[0]?.[0])))

/**
 * Runs `body` in a transaction of its own, unless the session already has one open: then two
 * statements see the same transaction id (in auto-commit each is a transaction of its own). A
 * BEGIN that fails would not do to find out: in DuckDB it aborts the open transaction.
 */
export const inTransaction = <A, E>(connection: DuckDBConnection, body: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const first = yield* transactionId(connection)
    if (first === (yield* transactionId(connection))) return yield* body
    yield* runStatement(connection, "BEGIN TRANSACTION")
    return yield* body.pipe(
      Effect.tap(() => runStatement(connection, "COMMIT")),
      Effect.tapError(() => runStatement(connection, "ROLLBACK").pipe(Effect.ignore))
    )
  })

/**
 * Rebuilds the table (as it is now: read again) with the length checks of `changed` columns set
 * (a length) or removed (undefined).
 */
const rebuild = (
  connection: DuckDBConnection,
  found: TableInfo,
  ctx: SessionContext,
  changed: ReadonlyMap<string, number | undefined>
): Effect.Effect<void, DuckFailure> =>
  Effect.gen(function* () {
    const table = (yield* findTable(connection, [found.database, found.schema, found.name], ctx)) ?? found
    const kept = yield* keptLengths(connection, table.oid)
    let body = table.create.replace(/;\s*$/, "")
    for (const column of changed.keys()) {
      const old = kept.get(column)
      if (old !== undefined) body = body.replace(`, CHECK(${old.expression})`, "")
    }
    const added = checks(
      [...changed].flatMap(([column, length]) => (length === undefined ? [] : [{ column, length }]))
    )
    body = `${body.slice(0, body.lastIndexOf(")"))}${added})`
    const tokens = TokenCursor.of(body).tokens
    const open = tokens.findIndex((t) => t.kind === "punct" && t.text === "(")
    const temporary = `${table.name}__sf_rebuild`
    const columns = yield* queryRows(
      connection,
      `SELECT column_name, comment FROM duckdb_columns() WHERE table_oid = ${table.oid} AND comment IS NOT NULL`
    )
    const statements = [
      `CREATE ${table.temporary ? "TEMP " : ""}TABLE ${table.prefix}${quoteIdent(temporary)}${textOf(tokens.slice(open))}`,
      `INSERT INTO ${table.prefix}${quoteIdent(temporary)} SELECT * FROM ${table.sql}`,
      `DROP TABLE ${table.sql}`,
      `ALTER TABLE ${table.prefix}${quoteIdent(temporary)} RENAME TO ${quoteIdent(table.name)}`,
      ...(table.comment === null ? [] : [`COMMENT ON TABLE ${table.sql} IS ${quoteString(table.comment)}`]),
      ...columns.map(
        (c) => `COMMENT ON COLUMN ${table.sql}.${quoteIdent(String(c[0]))} IS ${quoteString(String(c[1]))}`
      )
    ]
    for (const statement of statements) yield* runStatement(connection, statement)
  })

/**
 * ALTER TABLE … ADD columns with lengths, or a string column's new length: `duck` (the statement
 * as DuckDB runs it) plus the rebuild, or the rebuild instead of it. Snowflake only lets a VARCHAR
 * grow (040050 otherwise); anything else is left to `duck`.
 */
export const alterWithLengths = (
  connection: DuckDBConnection,
  ctx: SessionContext,
  alter: AlterLengths,
  duck: Effect.Effect<unknown, EngineError>,
  fail: (failure: DuckFailure) => Effect.Effect<never, EngineError>
): Effect.Effect<unknown, EngineError> =>
  Effect.gen(function* () {
    const table = yield* findTable(connection, alter.table, ctx)
    if (table === undefined) return yield* duck
    if (alter._tag === "Add") {
      const limited = alter.columns.filter((c) => c.length < MAX_LENGTH)
      if (limited.length === 0) return yield* duck
      const changed = new Map(limited.map((c) => [c.column, c.length]))
      return yield* inTransaction(connection, Effect.zipRight(duck, rebuild(connection, table, ctx, changed)))
    }
    const typeRows = yield* queryRows(
      connection,
      `SELECT data_type FROM duckdb_columns() WHERE table_oid = ${table.oid} AND column_name = ${quoteString(alter.column)}`
    )
    if (alter.length === undefined || typeRows[0]?.[0] !== "VARCHAR") return yield* duck
    const from = (yield* keptLengths(connection, table.oid)).get(alter.column)?.length ?? MAX_LENGTH
    if (alter.length < from)
      return yield* Effect.fail(EngineError.varcharReduced(alter.column, from, alter.length))
    if (alter.length === from) return undefined
    const changed = new Map([[alter.column, alter.length < MAX_LENGTH ? alter.length : undefined]])
    return yield* inTransaction(connection, rebuild(connection, table, ctx, changed))
  }).pipe(Effect.catchTag("DuckFailure", fail))
