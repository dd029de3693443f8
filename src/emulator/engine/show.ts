/**
 * SHOW and DESCRIBE: queries over DuckDB's catalog functions (commands.ts), so they go through
 * the same result encoding as any SELECT — except SHOW WAREHOUSES, which the engine keeps itself.
 */
import { Effect } from "effect"
import { STATEMENT_TYPE_ID } from "./classify.js"
import {
  describeTableSql,
  inScope,
  showColumnsSql,
  showDatabasesSql,
  showSchemasSql,
  showTablesSql
} from "./commands.js"
import { currentContext, type SessionScope } from "./context.js"
import { EngineError, type ExecuteOptions, rowCount, type StatementResult } from "./Engine.js"
import { encodedQuery } from "./encodedQuery.js"
import { showWarehouses } from "./warehouses/statements.js"
import { readName, skipModifiers, type Words } from "./words.js"

export const show = (
  scope: SessionScope,
  w: Words,
  sql: string,
  options: ExecuteOptions
): Effect.Effect<StatementResult, EngineError> =>
  Effect.gen(function* () {
    const ctx = yield* currentContext(scope)
    const mods = skipModifiers(w, 1)
    const what = w.upper[mods.i === 1 && w.upper[1] === "TERSE" ? 2 : mods.i]
    const query = (duckSql: string) =>
      encodedQuery(scope, duckSql, sql, options.describeOnly === true, STATEMENT_TYPE_ID.show)
    const internal = scope.catalog.internal.values().next().value as string
    switch (what) {
      case "WAREHOUSES":
        return yield* showWarehouses(scope, w)
      case "DATABASES":
        return yield* query(showDatabasesSql(w, ctx.database, internal))
      case "SCHEMAS": {
        const scoped = inScope(w, ctx.database, ctx.schema)
        return yield* query(showSchemasSql(w, scoped.database, ctx.schema))
      }
      case "TABLES":
      case "OBJECTS":
      case "VIEWS": {
        const scoped = inScope(w, ctx.database, w.upper.includes("IN") ? null : ctx.schema)
        return yield* query(showTablesSql(w, scoped.database, scoped.schema, what === "VIEWS"))
      }
      case "COLUMNS": {
        const at = w.upper.indexOf("IN")
        const target = at >= 0 ? readName(w, w.upper[at + 1] === "TABLE" ? at + 2 : at + 1).parts : []
        const table = target.length > 0 ? (target[target.length - 1] as string) : null
        const schema =
          target.length >= 2 ? (target[target.length - 2] as string) : table === null ? null : ctx.schema
        const database = target.length >= 3 ? (target[0] as string) : ctx.database
        return yield* query(showColumnsSql(w, database, schema, table))
      }
      default:
        return yield* Effect.fail(EngineError.unexpected(w.tokens[1]?.text ?? "", { line: 1, pos: 5 }))
    }
  })

/** DESCRIBE [TABLE | VIEW] name: a missing table is an error, an empty describe-only answer is not. */
export const describeTable = (
  scope: SessionScope,
  w: Words,
  sql: string,
  options: ExecuteOptions
): Effect.Effect<StatementResult, EngineError> =>
  Effect.gen(function* () {
    const ctx = yield* currentContext(scope)
    const start = w.upper[1] === "TABLE" || w.upper[1] === "VIEW" ? 2 : 1
    const { parts } = readName(w, start)
    const table = parts[parts.length - 1] ?? ""
    const schema = parts.length >= 2 ? (parts[parts.length - 2] as string) : (ctx.schema ?? "")
    const database = parts.length >= 3 ? (parts[0] as string) : (ctx.database ?? "")
    const result = yield* encodedQuery(
      scope,
      describeTableSql(database, schema, table),
      sql,
      options.describeOnly === true,
      STATEMENT_TYPE_ID.describe
    )
    if (rowCount(result) === 0 && options.describeOnly !== true) {
      return yield* Effect.fail(EngineError.objectNotFound(`${database}.${schema}.${table}`))
    }
    return result
  })
