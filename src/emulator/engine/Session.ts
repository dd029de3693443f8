/**
 * One Snowflake session on its own DuckDB connection: the dispatcher. A statement is offered to
 * the hooks first (the emulator's stages), then goes by its kind to the commands the engine
 * answers itself — USE (context.ts), SHOW and DESCRIBE (show.ts), DDL (ddl.ts) — or to the
 * translated-SQL path (translated.ts).
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect, type Ref } from "effect"
import type { Catalog } from "./Catalog.js"
import { classify } from "./classify.js"
import { currentContext, run, type SessionScope, status, use } from "./context.js"
import { ddl } from "./ddl.js"
import {
  EngineError,
  type EngineHooks,
  type EngineSession,
  type ExecuteOptions,
  type SessionContext,
  type StatementResult
} from "./Engine.js"
import { describeTable, show } from "./show.js"
import { translated } from "./translated.js"
import { words } from "./words.js"

export interface SessionDeps {
  readonly connection: DuckDBConnection
  readonly catalog: Catalog
  readonly context: Ref.Ref<SessionContext>
  readonly sessionId: string
  readonly hooks?: EngineHooks
}

export const makeSession = (deps: SessionDeps): EngineSession => {
  const { hooks, ...scope }: { hooks?: EngineHooks } & SessionScope = deps
  const hookEnv = (context: SessionContext) => ({
    connection: scope.connection,
    context,
    sessionId: scope.sessionId
  })

  const dispatch = (sql: string, options: ExecuteOptions): Effect.Effect<StatementResult, EngineError> => {
    const kind = classify(sql)
    const w = words(sql)
    switch (kind) {
      case "use":
        return use(scope, w, sql)
      case "show":
        return show(scope, w, sql, options)
      case "describe":
        return describeTable(scope, w, sql, options)
      case "alter_session":
        return status(scope, "Statement executed successfully.", kind)
      case "transaction":
        return run(scope, w.upper[0] === "START" ? "BEGIN TRANSACTION" : (w.upper[0] as string), sql).pipe(
          Effect.zipRight(status(scope, "Statement executed successfully.", kind))
        )
      case "ddl":
        return ddl(scope, w, sql, kind, options)
      default:
        return translated(scope, sql, kind, options)
    }
  }

  const execute = (
    sql: string,
    options: ExecuteOptions = {}
  ): Effect.Effect<StatementResult, EngineError> => {
    const { bindStage, ...rest } = options
    if (bindStage !== undefined && options.describeOnly !== true) {
      const bindStageHook = hooks?.bindStage
      if (bindStageHook === undefined) return Effect.fail(EngineError.unsupported("bind stage"))
      return Effect.flatMap(currentContext(scope), (context) =>
        bindStageHook(sql, bindStage, hookEnv(context), (bindings) => dispatch(sql, { ...rest, bindings }))
      )
    }
    if (hooks === undefined || options.describeOnly === true) return dispatch(sql, rest)
    return Effect.flatMap(
      currentContext(scope),
      (context) =>
        hooks.statement(sql, hookEnv(context), (other) => dispatch(other, rest)) ?? dispatch(sql, rest)
    )
  }

  return { context: currentContext(scope), execute }
}
