/**
 * The engine-wide catalog: Snowflake databases (each an attached DuckDB catalog: an in-memory one,
 * or a sibling file `<path>.<NAME>.sfdb` in file mode) and the warehouses DuckDB knows nothing about.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { type DuckFailure, queryRows, runStatement } from "./duck.js"
import { quoteIdent, quoteString } from "./lexer.js"
import type { Warehouse } from "./warehouses/Warehouse.js"

export const DEFAULT_DATABASE = "EMULATOR"
export const DEFAULT_SCHEMA = "PUBLIC"
export interface Catalog {
  readonly admin: DuckDBConnection
  readonly path: string | undefined
  readonly warehouses: Map<string, Warehouse>
  /** DuckDB catalogs that are not Snowflake databases. */
  readonly internal: ReadonlySet<string>
}

const fileFor = (catalog: Catalog, name: string) => `${catalog.path}.${encodeURIComponent(name)}.sfdb`

export const databaseExists = (catalog: Catalog, name: string): Effect.Effect<boolean, DuckFailure> =>
  queryRows(
    catalog.admin,
    `SELECT 1 FROM duckdb_databases() WHERE database_name = ${quoteString(name)}`
  ).pipe(Effect.map((rows) => rows.length > 0))

export const createDatabase = (catalog: Catalog, name: string): Effect.Effect<void, DuckFailure> =>
  Effect.gen(function* () {
    const target = catalog.path === undefined ? ":memory:" : fileFor(catalog, name)
    yield* runStatement(catalog.admin, `ATTACH IF NOT EXISTS ${quoteString(target)} AS ${quoteIdent(name)}`)
    yield* runStatement(
      catalog.admin,
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(name)}.${quoteIdent(DEFAULT_SCHEMA)}`
    )
  })

export const dropDatabase = (catalog: Catalog, name: string): Effect.Effect<void, DuckFailure> =>
  Effect.gen(function* () {
    yield* runStatement(catalog.admin, `DETACH ${quoteIdent(name)}`)
    if (catalog.path !== undefined) {
      const file = fileFor(catalog, name)
      yield* Effect.sync(() => {
        for (const f of [file, `${file}.wal`]) if (fs.existsSync(f)) fs.rmSync(f)
      })
    }
  })

/** In file mode, re-attaches the databases a previous run left next to the main file. */
export const attachExisting = (catalog: Catalog): Effect.Effect<void, DuckFailure> =>
  Effect.gen(function* () {
    if (catalog.path === undefined) return
    const dir = nodePath.dirname(catalog.path)
    const prefix = `${nodePath.basename(catalog.path)}.`
    const names = yield* Effect.sync(() =>
      fs
        .readdirSync(dir)
        .filter((f) => f.startsWith(prefix) && f.endsWith(".sfdb"))
        .map((f) => decodeURIComponent(f.slice(prefix.length, -".sfdb".length)))
    )
    for (const name of names) yield* createDatabase(catalog, name)
  })
