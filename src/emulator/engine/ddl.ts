/**
 * DDL: CREATE / DROP DATABASE and SCHEMA (which change the session's context), warehouses
 * (warehouses.ts), and everything else through the translated path — a typed CTAS as its CREATE
 * and INSERT in one transaction (typedCtas.ts), an ALTER TABLE that declares string lengths with
 * the table rebuilt (lengthDdl.ts).
 */
import { Effect } from "effect"
import { createDatabase, DEFAULT_SCHEMA, databaseExists, dropDatabase } from "./Catalog.js"
import type { StatementKind } from "./classify.js"
import { qualified } from "./commands.js"
import { currentContext, duckError, run, type SessionScope, setContext, status, useDuck } from "./context.js"
import { alterLengths } from "./declaredLengths.js"
import { EngineError, type ExecuteOptions, type StatementResult } from "./Engine.js"
import { alterWithLengths, inTransaction } from "./lengthDdl.js"
import { quoteIdent } from "./lexer.js"
import { translated } from "./translated.js"
import { asDuckStatements } from "./transpile.js"
import { warehouseDdl } from "./warehouses/statements.js"
import { readName, skipModifiers, type Words } from "./words.js"

export const ddl = (
  scope: SessionScope,
  w: Words,
  sql: string,
  kind: StatementKind,
  options: ExecuteOptions
): Effect.Effect<StatementResult, EngineError> =>
  Effect.gen(function* () {
    const verb = w.upper[0]
    const mods = skipModifiers(w, 1)
    const object = w.upper[mods.i]
    const after = skipModifiers(w, mods.i + 1)
    const { parts } = readName(w, after.i)
    const name = parts[parts.length - 1] ?? ""
    const ctx = yield* currentContext(scope)
    const ifClause = mods.ifClause || after.ifClause
    const done = (message: string) => status(scope, message, kind)
    if (object === "DATABASE" && (verb === "CREATE" || verb === "DROP")) {
      const exists = yield* databaseExists(scope.catalog, name).pipe(Effect.orDie)
      if (verb === "CREATE") {
        if (exists && ifClause) return yield* done(`${name} already exists, statement succeeded.`)
        if (exists && !mods.orReplace) return yield* Effect.fail(EngineError.alreadyExists(name))
        if (exists) yield* dropDatabase(scope.catalog, name).pipe(Effect.catchAll(duckError(scope, sql)))
        yield* createDatabase(scope.catalog, name).pipe(Effect.catchAll(duckError(scope, sql)))
        // Snowflake makes the new database (and its PUBLIC schema) current
        yield* useDuck(scope, name, DEFAULT_SCHEMA, sql)
        yield* setContext(scope, { database: name, schema: DEFAULT_SCHEMA })
        return yield* done(`Database ${name} successfully created.`)
      }
      if (!exists) {
        if (ifClause) return yield* done(`Drop statement executed successfully (${name} already dropped).`)
        return yield* Effect.fail(EngineError.notFound(`Database '${name}'`))
      }
      if (ctx.database === name) {
        yield* run(scope, `USE ${quoteIdent(scope.catalog.internal.values().next().value as string)}`, sql)
        yield* setContext(scope, { database: null, schema: null })
      }
      yield* dropDatabase(scope.catalog, name).pipe(Effect.catchAll(duckError(scope, sql)))
      return yield* done(`${name} successfully dropped.`)
    }
    if (object === "SCHEMA" && (verb === "CREATE" || verb === "DROP")) {
      const database = parts.length > 1 ? (parts[0] as string) : ctx.database
      const target = qualified([database ?? "", name])
      if (verb === "CREATE") {
        const sqlText = mods.orReplace
          ? `DROP SCHEMA IF EXISTS ${target} CASCADE; CREATE SCHEMA ${target}`
          : `CREATE SCHEMA ${ifClause ? "IF NOT EXISTS " : ""}${target}`
        yield* run(scope, sqlText, sql)
        yield* useDuck(scope, database ?? "", name, sql)
        yield* setContext(scope, { database, schema: name })
        return yield* done(`Schema ${name} successfully created.`)
      }
      yield* run(scope, `DROP SCHEMA ${ifClause ? "IF EXISTS " : ""}${target} CASCADE`, sql)
      if (ctx.schema === name && ctx.database === database) yield* setContext(scope, { schema: null })
      return yield* done(`${name} successfully dropped.`)
    }
    if (object === "WAREHOUSE") {
      const answered = warehouseDdl(scope, w, verb, name, { orReplace: mods.orReplace, ifClause }, kind)
      if (answered !== undefined) return yield* answered
    }
    // everything else goes to DuckDB (ALTER TABLE with string lengths: lengthDdl.ts)
    const alter = alterLengths(w)
    const ctas = alter === undefined ? asDuckStatements(sql, w) : undefined
    const duck = (text: string, as: StatementKind) => translated(scope, text, as, options)
    if (ctas !== undefined)
      yield* inTransaction(
        scope.connection,
        Effect.zipRight(duck(ctas.create, "ddl"), duck(ctas.insert, "insert"))
      ).pipe(Effect.catchAll((e) => (e instanceof EngineError ? Effect.fail(e) : duckError(scope, sql)(e))))
    else if (alter === undefined) yield* duck(sql, "ddl")
    else yield* alterWithLengths(scope.connection, ctx, alter, duck(sql, "ddl"), duckError(scope, sql))
    if (verb === "CREATE" && (object === "TABLE" || object === "VIEW")) {
      return yield* done(`${object === "TABLE" ? "Table" : "View"} ${name} successfully created.`)
    }
    if (verb === "DROP" && parts.length > 0) return yield* done(`${name} successfully dropped.`)
    return yield* done("Statement executed successfully.")
  })
