/**
 * How the stage statements plug into the engine: the engine offers every statement to a hook
 * before its own dispatch, with the session's DuckDB connection, context and id (COPY INTO loads
 * through the session's connection, so temporary tables and USE apply; temporary stages are the
 * session's own).
 */
import type { Effect } from "effect"
import type { EngineError, StatementHookEnv, StatementResult } from "../engine/Engine.js"
import type { StageStorage } from "../storage/storage.js"
import type { StageCatalog } from "./catalog.js"

/** What every stage statement works on: the instance's one storage backend and its stage catalog. */
export interface StageDeps {
  readonly storage: StageStorage
  readonly catalog: StageCatalog
}

export type HookEnv = StatementHookEnv

/** A result, or transfer instructions (PUT/GET) built once the query id is known. */
export type HookResult = StatementResult & {
  readonly transfer?: (queryId: string) => Record<string, unknown>
}

/** Undefined when the statement is not one the hook answers. */
export type StatementHook = (
  sql: string,
  env: HookEnv,
  /** Runs another statement through the engine's own path. */
  run: (sql: string) => Effect.Effect<StatementResult, EngineError>
) => Effect.Effect<HookResult, EngineError> | undefined
