/** A fresh in-memory DuckDB connection for one test, closed after it. */
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api"
import { Effect } from "effect"

export const withConnection = <A>(use: (connection: DuckDBConnection) => Effect.Effect<A>) =>
  Effect.acquireUseRelease(
    Effect.promise(async () => (await DuckDBInstance.create(":memory:")).connect()),
    use,
    (connection) => Effect.sync(() => connection.closeSync())
  )
