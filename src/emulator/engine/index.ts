/**
 * The emulator's SQL engine on DuckDB. One DuckDB instance per engine; every session its own
 * connection. Snowflake databases are attached DuckDB catalogs (in memory, or sibling files
 * `<path>.<NAME>.sfdb` when a path is given); the default database is `EMULATOR` with schema
 * `PUBLIC`, and a session whose initial database does not exist gets it created.
 */
import { DuckDBInstance } from "@duckdb/node-api"
import { Effect, Ref, type Scope } from "effect"
import {
  attachExisting,
  type Catalog,
  createDatabase,
  DEFAULT_DATABASE,
  DEFAULT_SCHEMA,
  databaseExists
} from "./Catalog.js"
import { runStatement } from "./duck.js"
import {
  type Engine,
  EngineError,
  type EngineHooks,
  type EngineSession,
  type SessionContext
} from "./Engine.js"
import { quoteIdent } from "./lexer.js"
import { MACROS, TYPE_NAME_MACRO } from "./macros.js"
import { makeSession } from "./Session.js"
import { splitStatements } from "./splitStatements.js"
import { warmUp } from "./transpile.js"
import { DEFAULT_WAREHOUSE, newWarehouse, type Warehouse } from "./warehouses/Warehouse.js"

export * from "./Engine.js"
export { splitStatements } from "./splitStatements.js"

const internalError = (what: string) => (e: { readonly message: string }) =>
  EngineError.internal(`${what}: ${e.message}`)

let sessionCounter = 0

export const make = (options?: {
  readonly path?: string
  /** The emulator's stages: stage statements, stage binds, temporary stages' end. */
  readonly hooks?: EngineHooks
}): Effect.Effect<Engine, EngineError, Scope.Scope> =>
  Effect.gen(function* () {
    const path = options?.path
    yield* Effect.sync(warmUp)
    const instance = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => DuckDBInstance.create(path ?? ":memory:"),
        catch: (e) => internalError("cannot open DuckDB")({ message: String(e) })
      }),
      (db) => Effect.sync(() => db.closeSync())
    )
    const admin = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => instance.connect(),
        catch: (e) => internalError("cannot connect")({ message: String(e) })
      }),
      (c) => Effect.sync(() => c.closeSync())
    )
    const mainCatalog =
      path === undefined ? "memory" : (path.split("/").pop() as string).replace(/\.[^.]*$/, "")
    const warehouses = new Map<string, Warehouse>([
      [DEFAULT_WAREHOUSE, newWarehouse(DEFAULT_WAREHOUSE, new Date())]
    ])
    const catalog: Catalog = { admin, path, warehouses, internal: new Set([mainCatalog]) }
    yield* attachExisting(catalog).pipe(Effect.mapError(internalError("attach databases")))
    yield* createDatabase(catalog, DEFAULT_DATABASE).pipe(Effect.mapError(internalError("default database")))
    // sessions open concurrently; database creation through the admin connection is serialised
    const adminLock = yield* Effect.makeSemaphore(1)

    const openSession = (initial: SessionContext): Effect.Effect<EngineSession, EngineError, Scope.Scope> =>
      Effect.gen(function* () {
        const connection = yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: () => instance.connect(),
            catch: (e) => internalError("cannot connect")({ message: String(e) })
          }),
          (c) => Effect.sync(() => c.closeSync())
        )
        for (const macro of [TYPE_NAME_MACRO, ...MACROS]) {
          yield* runStatement(connection, macro).pipe(Effect.mapError(internalError("macros")))
        }
        yield* runStatement(connection, "SET TimeZone = 'UTC'").pipe(Effect.ignore)
        const database = initial.database ?? DEFAULT_DATABASE
        const schema = initial.schema ?? DEFAULT_SCHEMA
        yield* adminLock
          .withPermits(1)(
            Effect.gen(function* () {
              if (!(yield* databaseExists(catalog, database))) yield* createDatabase(catalog, database)
              yield* runStatement(
                admin,
                `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(database)}.${quoteIdent(schema)}`
              )
            })
          )
          .pipe(Effect.mapError(internalError("session database")))
        yield* runStatement(connection, `USE ${quoteIdent(database)}.${quoteIdent(schema)}`).pipe(
          Effect.mapError(internalError("use"))
        )
        const warehouse = initial.warehouse ?? DEFAULT_WAREHOUSE
        const context = yield* Ref.make<SessionContext>({ ...initial, database, schema, warehouse })
        sessionCounter += 1
        const sessionId = String(1000 + sessionCounter)
        const hooks = options?.hooks
        const sessionClosed = hooks?.sessionClosed
        if (sessionClosed !== undefined) yield* Effect.addFinalizer(() => sessionClosed(sessionId))
        const session = makeSession({
          connection,
          catalog,
          context,
          sessionId,
          ...(hooks !== undefined ? { hooks } : {})
        })
        // one statement at a time per connection, like a Snowflake session
        const lock = yield* Effect.makeSemaphore(1)
        return {
          context: session.context,
          execute: (sql, opts) => lock.withPermits(1)(session.execute(sql, opts))
        } satisfies EngineSession
      })

    return { openSession, splitStatements } satisfies Engine
  })
