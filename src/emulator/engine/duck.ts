/**
 * Effect wrappers around @duckdb/node-api calls. Every call that can run for long goes through
 * `interruptible`: interrupting the fiber calls `connection.interrupt()` and then waits for DuckDB
 * to actually stop, so an aborted query frees the connection before the next one starts.
 */
import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api"
import { Effect } from "effect"
import { decodeRow } from "./encode.js"

/** A raw DuckDB failure, before it is translated into Snowflake's terms. */
export class DuckFailure {
  readonly _tag = "DuckFailure"
  constructor(readonly message: string) {}
}

const toFailure = (error: unknown) => new DuckFailure(error instanceof Error ? error.message : String(error))

export const interruptible = <A>(
  connection: DuckDBConnection,
  run: () => Promise<A>
): Effect.Effect<A, DuckFailure> =>
  Effect.async<A, DuckFailure>((resume) => {
    let settled = false
    const promise = run().then(
      (value) => {
        settled = true
        resume(Effect.succeed(value))
      },
      (error: unknown) => {
        settled = true
        resume(Effect.fail(toFailure(error)))
      }
    )
    return Effect.promise(() => {
      if (!settled) connection.interrupt()
      return promise
    })
  })

/** Runs a statement and returns DuckDB's changed-row count (DML) or 0. */
export const runStatement = (connection: DuckDBConnection, sql: string): Effect.Effect<number, DuckFailure> =>
  interruptible(connection, async () => {
    const result = await connection.run(sql)
    return result.rowsChanged
  })

/** Runs a query and returns its rows as plain JS values (small internal queries only). */
export const queryRows = (
  connection: DuckDBConnection,
  sql: string
): Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, DuckFailure> =>
  interruptible(connection, async () => {
    const reader = await connection.runAndReadAll(sql)
    return reader.getRowsJS() as ReadonlyArray<ReadonlyArray<unknown>>
  })

export interface ColumnDescription {
  readonly name: string
  readonly type: DuckDBType
}

/** Column names and types of a statement, without running it. */
export const describe = (
  connection: DuckDBConnection,
  sql: string
): Effect.Effect<ReadonlyArray<ColumnDescription>, DuckFailure> =>
  interruptible(connection, async () => {
    const prepared = await connection.prepare(sql)
    try {
      const columns: Array<ColumnDescription> = []
      for (let i = 0; i < prepared.columnCount; i++) {
        columns.push({ name: prepared.columnName(i), type: prepared.columnType(i) })
      }
      return columns
    } finally {
      prepared.destroySync()
    }
  })

/** Runs an encoding query (one VARCHAR per row, see encode.ts) and decodes the rows. */
export const readEncodedRows = (
  connection: DuckDBConnection,
  sql: string
): Effect.Effect<Array<Array<string | null>>, DuckFailure> =>
  interruptible(connection, async () => {
    const result = await connection.run(sql)
    const rows: Array<Array<string | null>> = []
    for (;;) {
      const chunk = await result.fetchChunk()
      if (chunk === null || chunk.rowCount === 0) break
      const vector = chunk.getColumnVector(0)
      const count = chunk.rowCount
      for (let r = 0; r < count; r++) rows.push(decodeRow(vector.getItem(r) as string))
    }
    return rows
  })
