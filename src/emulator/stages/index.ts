/**
 * Stages for the emulator (issue #5): user `@~`, table `@%t` and named `@s` stages on one storage
 * backend per emulator instance — a local directory (LOCAL_FS), the emulator's own GCS endpoint,
 * S3 (s3rver) or Azure (azurite) — with PUT/GET transfer instructions, LIST, REMOVE and
 * COPY INTO. Nothing here imports the client: client and emulator meet on the wire.
 */
import { Effect } from "effect"
import { copyInto } from "../copy/copyInto.js"
import type { EngineHooks } from "../engine/Engine.js"
import type { StageStorage } from "../storage/storage.js"
import { makeBindStageHook } from "./bindStage.js"
import { StageCatalog } from "./catalog.js"
import { fileFormatStatement } from "./fileFormats.js"
import type { StageDeps, StatementHook } from "./hook.js"
import { stageTokens, upper } from "./sqlText.js"
import { stagedQuery } from "./stagedQuery.js"
import { endSession, stageStatement } from "./statements.js"

export type { StageStorage } from "../storage/storage.js"

const FIRST_WORDS = new Set(["PUT", "GET", "LIST", "LS", "REMOVE", "RM", "COPY", "CREATE", "DROP", "SHOW"])

/**
 * The engine's hooks on `storage`: stage statements, statements whose binds are in a stage
 * (bindStage.ts), and the end of a session (its temporary stages go).
 */
export const makeStageHooks = (storage: StageStorage): EngineHooks => {
  const deps: StageDeps = { storage, catalog: new StageCatalog() }
  return {
    statement: stageStatementHook(deps),
    bindStage: makeBindStageHook(deps),
    sessionClosed: (sessionId) => endSession(deps, sessionId)
  }
}

/** The hook answering stage statements. */
const stageStatementHook = (deps: StageDeps): StatementHook => {
  return (sql, env, run) => {
    // cheap test first: most statements are not ours
    const head = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase()
    if (head === "SELECT" || head === "WITH") return stagedQuery(deps, sql, env, run)
    if (head === undefined || !FIRST_WORDS.has(head)) return undefined
    const tokens = stageTokens(sql)
    if (upper(tokens[0]) === "COPY") return copyInto(deps, tokens, env, sql, run)
    const handled = fileFormatStatement(deps, tokens, env) ?? stageStatement(deps, tokens, env)
    return handled === undefined ? undefined : Effect.suspend(() => handled)
  }
}
