/**
 * A DuckDB query's answer as Snowflake's: its columns described and typed (encode.ts), its rows
 * read as JSON rowset text — or only its columns, for a describe-only request.
 */
import { Effect } from "effect"
import { nullMarkers } from "./binds.js"
import { currentContext, duckError, type SessionScope } from "./context.js"
import { describe, readJsonRows } from "./duck.js"
import type { ColumnMeta, EngineError, StatementResult } from "./Engine.js"
import { columnEncoding, encodingQuery } from "./encode.js"
import { packRows } from "./jsonRows.js"
import { jsonRowsResult } from "./results.js"

export const encodedQuery = (
  scope: SessionScope,
  duckSql: string,
  original: string,
  describeOnly: boolean,
  typeId: number
): Effect.Effect<StatementResult, EngineError> =>
  Effect.gen(function* () {
    const described = yield* describe(scope.connection, describeOnly ? nullMarkers(duckSql) : duckSql).pipe(
      Effect.catchAll(duckError(scope, original))
    )
    const encodings = described.map((c) => columnEncoding(c.type))
    const columns: Array<ColumnMeta> = described.map((c, i) => ({
      name: c.name,
      database: "",
      schema: "",
      table: "",
      ...(encodings[i] as (typeof encodings)[number]).meta
    }))
    const rowsJson = describeOnly
      ? packRows([])
      : yield* readJsonRows(scope.connection, encodingQuery(duckSql, encodings)).pipe(
          Effect.catchAll(duckError(scope, original))
        )
    return jsonRowsResult(columns, rowsJson, typeId, yield* currentContext(scope))
  })
