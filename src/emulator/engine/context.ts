/**
 * A session's scope — its DuckDB connection, the engine's catalog, its context (database, schema,
 * warehouse, role) — and what every command does with it: read and change the context, answer
 * with a status row, run DuckDB SQL with DuckDB's failures in Snowflake's terms, and USE.
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect, Ref } from "effect"
import { type Catalog, DEFAULT_SCHEMA, databaseExists } from "./Catalog.js"
import { STATEMENT_TYPE_ID, type StatementKind } from "./classify.js"
import { type DuckFailure, runStatement } from "./duck.js"
import { EngineError, type SessionContext } from "./Engine.js"
import { fromDuckMessage } from "./errors.js"
import { quoteIdent } from "./lexer.js"
import { statusResult } from "./results.js"
import { readName, type Words } from "./words.js"

export interface SessionScope {
  readonly connection: DuckDBConnection
  readonly catalog: Catalog
  readonly context: Ref.Ref<SessionContext>
  /** The engine session's id (CURRENT_SESSION(), temporary stages). */
  readonly sessionId: string
}

export const currentContext = (scope: SessionScope): Effect.Effect<SessionContext> => Ref.get(scope.context)

export const setContext = (scope: SessionScope, patch: Partial<SessionContext>): Effect.Effect<void> =>
  Ref.update(scope.context, (c) => ({ ...c, ...patch }))

/** A one-row `status` result in the context as it is now. */
export const status = (scope: SessionScope, message: string, kind: StatementKind) =>
  Effect.map(currentContext(scope), (ctx) => statusResult(message, STATEMENT_TYPE_ID[kind], ctx))

/** DuckDB's failure of a statement whose Snowflake text was `sql`, as Snowflake's error. */
export const duckError = (scope: SessionScope, sql: string) => (failure: DuckFailure) =>
  Effect.flatMap(currentContext(scope), (ctx) =>
    Effect.fail(fromDuckMessage(failure.message, { database: ctx.database, schema: ctx.schema, sql }))
  )

/** Runs DuckDB SQL for the Snowflake statement `original`; the rows it changed. */
export const run = (
  scope: SessionScope,
  duckSql: string,
  original: string
): Effect.Effect<number, EngineError> =>
  runStatement(scope.connection, duckSql).pipe(Effect.catchAll(duckError(scope, original)))

/** Makes `database.schema` DuckDB's current schema. */
export const useDuck = (scope: SessionScope, database: string, schema: string, sql: string) =>
  run(scope, `USE ${quoteIdent(database)}.${quoteIdent(schema)}`, sql)

/** USE [DATABASE | SCHEMA | WAREHOUSE | ROLE] name. */
export const use = (scope: SessionScope, w: Words, sql: string) =>
  Effect.gen(function* () {
    const ctx = yield* currentContext(scope)
    const what = w.upper[1]
    const explicit = what === "DATABASE" || what === "SCHEMA" || what === "WAREHOUSE" || what === "ROLE"
    const { parts } = readName(w, explicit ? 2 : 1)
    const kind = explicit ? what : parts.length > 1 ? "SCHEMA" : "DATABASE"
    const done = (statementTypeId?: number) =>
      Effect.map(status(scope, "Statement executed successfully.", "use"), (result) =>
        statementTypeId === undefined ? result : { ...result, statementTypeId }
      )
    if (kind === "WAREHOUSE") {
      const name = parts[0] ?? ""
      if (!scope.catalog.warehouses.has(name)) return yield* Effect.fail(EngineError.objectNotFound(name))
      yield* setContext(scope, { warehouse: name })
      return yield* done(17155)
    }
    if (kind === "ROLE") {
      yield* setContext(scope, { role: parts[0] ?? null })
      return yield* done()
    }
    if (kind === "DATABASE") {
      const name = parts[0] ?? ""
      if (!(yield* databaseExists(scope.catalog, name).pipe(Effect.orDie)))
        return yield* Effect.fail(EngineError.cannotUse())
      yield* useDuck(scope, name, DEFAULT_SCHEMA, sql).pipe(
        Effect.catchAll(() => run(scope, `USE ${quoteIdent(name)}`, sql))
      )
      yield* setContext(scope, { database: name, schema: DEFAULT_SCHEMA })
      return yield* done(17153)
    }
    const database = parts.length > 1 ? (parts[0] as string) : ctx.database
    const schema = parts[parts.length - 1] as string
    if (database === null) return yield* Effect.fail(EngineError.objectNotFound(schema))
    yield* useDuck(scope, database, schema, sql).pipe(Effect.mapError(() => EngineError.cannotUse()))
    yield* setContext(scope, { database, schema })
    return yield* done(17154)
  })
