/**
 * The translated-SQL path: a Snowflake statement the engine does not answer itself (SELECT, DML,
 * the DDL DuckDB runs) is translated (transpile.ts), bound once per row of its bindings, and run.
 */
import { Effect } from "effect"
import { batchSize, countMarkers, substitute } from "./binds.js"
import { STATEMENT_TYPE_ID, type StatementKind } from "./classify.js"
import { currentContext, run, type SessionScope } from "./context.js"
import { EngineError, type ExecuteOptions, type StatementResult } from "./Engine.js"
import { encodedQuery } from "./encodedQuery.js"
import { dmlResult, statusResult } from "./results.js"
import { toDuckDb } from "./transpile.js"

export const translated = (
  scope: SessionScope,
  sql: string,
  kind: StatementKind,
  options: ExecuteOptions
): Effect.Effect<StatementResult, EngineError> =>
  Effect.gen(function* () {
    const ctx = yield* currentContext(scope)
    const duckSql = toDuckDb(sql, { ...ctx, sessionId: scope.sessionId }, kind)
    const bindings = options.bindings ?? {}
    const typeId = STATEMENT_TYPE_ID[kind]
    if (options.describeOnly === true) {
      const numberOfBinds = countMarkers(sql)
      if (kind === "query" || kind === "unknown") {
        return { ...(yield* encodedQuery(scope, duckSql, sql, true, typeId)), numberOfBinds }
      }
      return {
        columns: [],
        rows: [],
        statementTypeId: typeId,
        context: ctx,
        numberOfBinds
      } satisfies StatementResult
    }
    const bound = yield* Effect.try({
      try: () => Array.from({ length: batchSize(bindings) }, (_, row) => substitute(duckSql, bindings, row)),
      catch: (e) => (e instanceof EngineError ? e : EngineError.binding(String(e)))
    })
    if (kind === "query" || kind === "unknown") {
      if (bound.length === 1) return yield* encodedQuery(scope, bound[0] as string, sql, false, typeId)
    }
    let total = 0
    if (kind === "insert" && bound.length > 1) {
      total = yield* run(scope, mergeInserts(bound), sql)
    } else {
      for (const statement of bound) total += yield* run(scope, statement, sql)
    }
    const after = yield* currentContext(scope)
    if (kind === "insert" || kind === "update" || kind === "delete" || kind === "merge") {
      return dmlResult(kind, total, typeId, after)
    }
    return statusResult("Statement executed successfully.", typeId, after)
  })

/**
 * A batch of `INSERT … VALUES (…)` statements (one per bound row) as one multi-row INSERT: the
 * common bulk-insert case runs as a single DuckDB statement.
 */
const mergeInserts = (statements: ReadonlyArray<string>): string => {
  const first = statements[0] as string
  const at = first.search(/\bVALUES\b/i)
  if (at < 0) return statements.join(";\n")
  const head = first.slice(0, at + "VALUES".length)
  const tails = statements.map((s) => s.slice(s.search(/\bVALUES\b/i) + "VALUES".length))
  return `${head} ${tails.join(", ")}`
}
