/**
 * Snowflake's persisted query results, emulated: running the same SELECT again, in the same
 * context, with no change to any table since, answers from the stored result instead of running it
 * again (USE_CACHED_RESULT, on by default). Like Snowflake, queries with functions that give a new
 * answer each time (RANDOM, CURRENT_TIMESTAMP, …) are never reused, and any statement that may change
 * data (DML, DDL, COPY) forgets every stored result. The chunk bodies are kept gzip'ed, so a reused
 * result costs no encoding at all: repeated reads of a big table measure the client, not the server.
 */
import type { Bindings, SessionContext, StatementResult } from "../engine/Engine.js"
import type { EncodedChunks } from "./chunks.js"
import type { ParameterValue } from "./parameters.js"

export interface CachedResult {
  readonly result: StatementResult
  readonly rowCount: number
  readonly inlineRows: ReadonlyArray<ReadonlyArray<string | null>>
  readonly encoded: EncodedChunks | undefined
}

export interface ResultCache {
  readonly lookup: (key: string) => CachedResult | undefined
  readonly remember: (key: string, sql: string, entry: CachedResult) => void
  /** Called after every statement: one that may change data forgets every stored result. */
  readonly afterStatement: (statementTypeId: number) => void
}

const SELECT = 0x1000
/** Statements that read or only touch session state: SHOW, DESCRIBE, USE, ALTER SESSION. */
const harmless = (type: number) => type === SELECT || (type >= 0x4000 && type < 0x5000)

/** Functions whose answer changes from one run to the next (Snowflake does not reuse those results). */
const volatile =
  /\b(RANDOM|UNIFORM|RANDSTR|NORMAL|ZIPF|UUID_STRING|SEQ[1248]|CURRENT_\w+|SYSDATE|GETDATE|LOCALTIME|LOCALTIMESTAMP|SYSTIMESTAMP)\b/i

/**
 * Only plain queries are reused: LIST/SHOW/… read state that changes behind the server's back
 * (files PUT straight to storage), and query history changes with every query.
 */
const plainQuery = /^\s*(\(\s*)*(SELECT|WITH)\b/i
const readsHistory = /\bQUERY_HISTORY\w*\b/i

/** At most this many results are kept; the oldest goes first. */
const CAPACITY = 8

export const isEnabled = (parameters: ReadonlyMap<string, ParameterValue>): boolean => {
  const value = parameters.get("USE_CACHED_RESULT")
  return !(value === false || (typeof value === "string" && value.toUpperCase() === "FALSE"))
}

export const keyOf = (sql: string, context: SessionContext, bindings: Bindings | undefined): string =>
  JSON.stringify([context.database, context.schema, context.role, sql, bindings ?? null])

export const makeResultCache = (): ResultCache => {
  const entries = new Map<string, CachedResult>()
  return {
    lookup: (key) => entries.get(key),
    remember: (key, sql, entry) => {
      const reusable =
        entry.result.statementTypeId === SELECT &&
        plainQuery.test(sql) &&
        !volatile.test(sql) &&
        !readsHistory.test(sql)
      if (!reusable) return
      entries.delete(key)
      entries.set(key, entry)
      if (entries.size > CAPACITY) entries.delete(entries.keys().next().value!)
    },
    afterStatement: (type) => {
      if (!harmless(type)) entries.clear()
    }
  }
}
