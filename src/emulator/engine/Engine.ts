/**
 * The contract between the emulator's HTTP server (src/emulator/server) and its SQL engine
 * (src/emulator/engine). The server owns sessions, tokens, requests, async state and chunking;
 * the engine owns SQL: transpiling Snowflake SQL to DuckDB, executing it, and encoding every
 * result cell the way Snowflake's JSON rowsets do (PROTOCOL.md §5.4–§5.7).
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import type { Effect, Scope } from "effect"
import type { EngineError } from "./EngineError.js"
import type { JsonRows } from "./jsonRows.js"

export type { JsonRows } from "./jsonRows.js"

/** Lower-case rowtype type names, exactly as the v1 protocol spells them. */
export type RowType =
  | "fixed"
  | "real"
  | "text"
  | "boolean"
  | "date"
  | "time"
  | "timestamp_ntz"
  | "timestamp_ltz"
  | "timestamp_tz"
  | "variant"
  | "object"
  | "array"
  | "binary"

/** One `rowtype` entry of a query response. */
export interface ColumnMeta {
  readonly name: string
  readonly type: RowType
  readonly precision: number | null
  readonly scale: number | null
  readonly length: number | null
  readonly byteLength: number | null
  readonly nullable: boolean
  readonly database: string
  readonly schema: string
  readonly table: string
  readonly collation: null
}

/** A bind parameter as the drivers send it: `{ type: "FIXED", value: "1" }`, arrays for batch binds. */
export interface Binding {
  readonly type: string
  readonly value: string | null | ReadonlyArray<string | null>
}

/** Positional bindings are keyed "1", "2", …; named bindings by name. */
export type Bindings = Readonly<Record<string, Binding>>

/** DML statistics (PROTOCOL.md §5.3 `stats`). */
export interface DmlStats {
  readonly numRowsInserted: number
  readonly numRowsDeleted: number
  readonly numRowsUpdated: number
  readonly numDmlDuplicates: number
}

/** The session state a statement runs in and may change (USE …). */
export interface SessionContext {
  readonly database: string | null
  readonly schema: string | null
  readonly warehouse: string | null
  readonly role: string | null
  readonly user: string
}

/** The result of one statement, cells already encoded as Snowflake JSON rowset text. */
export interface StatementResult {
  readonly columns: ReadonlyArray<ColumnMeta>
  /**
   * Every cell a string or null (PROTOCOL.md §1.3, §5.5). When `rowsJson` is present this may be
   * computed lazily from it on first access: big results should be read through `rowsJson`.
   */
  readonly rows: ReadonlyArray<ReadonlyArray<string | null>>
  /**
   * Optional fast path for big results: every row already as JSON array text (`["1","a",null]`),
   * packed in one buffer (jsonRows.ts), equal to `rows` once parsed. The server cuts chunk bodies
   * out of it as they are, instead of stringifying a million small arrays.
   */
  readonly rowsJson?: JsonRows
  /** PROTOCOL.md §5.6 (4096 SELECT, 12544 INSERT, 24576 DDL, …). */
  readonly statementTypeId: number
  readonly stats?: DmlStats
  /** Session context after the statement (finalDatabaseName, …). */
  readonly context: SessionContext
  /** describeOnly: number of bind markers found in the statement. */
  readonly numberOfBinds?: number
  /** PUT/GET: transfer instructions (PROTOCOL.md §9.2) sent as the response `data` instead of rows. */
  readonly transfer?: (queryId: string) => Record<string, unknown>
}

/** How many rows a result has, without materialising `rows` from `rowsJson`. */
export const rowCount = (result: StatementResult): number => result.rowsJson?.count ?? result.rows.length

export { EngineError } from "./EngineError.js"

export interface StatementHookEnv {
  readonly connection: DuckDBConnection
  readonly context: SessionContext
  /** The engine session's id: temporary objects (TEMPORARY STAGE) belong to one session. */
  readonly sessionId: string
}

/**
 * Statements answered beside the SQL engine's own dispatch (the emulator's stages: PUT, GET, LIST,
 * REMOVE, COPY INTO, CREATE STAGE …). Offered every statement first; undefined means "not mine".
 */
export type StatementHook = (
  sql: string,
  env: StatementHookEnv,
  /** Runs another statement through the engine's own path (a hook that rewrites a query). */
  run: (sql: string) => Effect.Effect<StatementResult, EngineError>
) => Effect.Effect<StatementResult, EngineError> | undefined

/**
 * A statement whose bind values were uploaded to a stage (query-request `bindStage`, PROTOCOL.md
 * §5.2): the hook reads the stage's CSV files and runs the statement once per record, either
 * itself or through `withBindings` (the engine's ordinary path, all records as array binds).
 */
export type BindStageHook = (
  sql: string,
  stage: string,
  env: StatementHookEnv,
  withBindings: (bindings: Bindings) => Effect.Effect<StatementResult, EngineError>
) => Effect.Effect<StatementResult, EngineError>

/** What the engine leaves to the emulator's stages. */
export interface EngineHooks {
  /** Offered every statement before the engine's own dispatch. */
  readonly statement: StatementHook
  readonly bindStage?: BindStageHook
  /** A session ended: its temporary stages (and their files) go. */
  readonly sessionClosed?: (sessionId: string) => Effect.Effect<void>
}

export interface ExecuteOptions {
  readonly bindings?: Bindings
  /** `@stage/path` holding the bind values as CSV (query-request `bindStage`); wins over `bindings`. */
  readonly bindStage?: string
  readonly describeOnly?: boolean
  /** Session parameters in force (TIMEZONE, QUERY_TAG, STATEMENT_TIMEOUT_IN_SECONDS, …). */
  readonly parameters?: Readonly<Record<string, string | number | boolean>>
}

/**
 * One Snowflake session's view of the database: its own DuckDB connection, so USE, temporary
 * tables and transactions stay per session. Interrupting the `execute` fiber interrupts the
 * running DuckDB statement (that is how abort-request and timeouts work).
 */
export interface EngineSession {
  readonly context: Effect.Effect<SessionContext>
  readonly execute: (sql: string, options?: ExecuteOptions) => Effect.Effect<StatementResult, EngineError>
}

export interface Engine {
  /** Opens a session; it is closed when the scope closes. */
  readonly openSession: (initial: SessionContext) => Effect.Effect<EngineSession, EngineError, Scope.Scope>
  /** Splits a multi-statement text into statements (respecting strings, comments and quoted identifiers). */
  readonly splitStatements: (sql: string) => ReadonlyArray<string>
}
