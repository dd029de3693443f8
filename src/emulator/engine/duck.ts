/**
 * Effect wrappers around @duckdb/node-api calls. Every call that can run for long goes through
 * `interruptible`: interrupting the fiber calls `connection.interrupt()` and then waits for DuckDB
 * to actually stop, so an aborted query frees the connection before the next one starts.
 */
import { existsSync } from "node:fs"
import { readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api"
import { Effect } from "effect"
import { type JsonRows, packLines } from "./jsonRows.js"
import { quoteString } from "./lexer.js"

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

let spoolCounter = 0

/** tmpfs when there is one (Linux): the spool file never needs to reach a disk. */
const spoolDirectory = existsSync("/dev/shm") ? "/dev/shm" : tmpdir()

/**
 * Runs an encoding query (one JSON array text per row, see encode.ts) and returns the rows packed.
 * DuckDB writes them to a spool file with COPY, on its own threads, and Node reads the file in one
 * call: reading strings out of a result costs one native call and one ArrayBuffer per row in
 * @duckdb/node-api, which on 1M rows was most of the time and most of the garbage. The CSV writer
 * is told to neither quote nor escape; a row never contains a newline or the delimiter (JSON text
 * escapes control characters), and packLines checks every line ends its row.
 */
export const readJsonRows = (
  connection: DuckDBConnection,
  sql: string
): Effect.Effect<JsonRows, DuckFailure> =>
  interruptible(connection, async () => {
    spoolCounter += 1
    const file = join(spoolDirectory, `snowflake-emulator-${process.pid}-${spoolCounter}.rows`)
    try {
      await connection.run(
        `COPY (${sql}\n) TO ${quoteString(file)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x1f')`
      )
      return packLines(await readFile(file))
    } finally {
      await rm(file, { force: true })
    }
  })
