/**
 * One Snowflake session on its own DuckDB connection: dispatches a statement to the commands the
 * engine answers itself or to the translated-SQL path, and encodes results.
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect, Ref } from "effect"
import { batchSize, countMarkers, nullMarkers, substitute } from "./binds.js"
import {
  type Catalog,
  createDatabase,
  DEFAULT_SCHEMA,
  databaseExists,
  dropDatabase,
  newWarehouse
} from "./Catalog.js"
import { classify, STATEMENT_TYPE_ID, type StatementKind } from "./classify.js"
import {
  describeTableSql,
  inScope,
  qualified,
  showColumnsSql,
  showDatabasesSql,
  showSchemasSql,
  showTablesSql
} from "./commands.js"
import { alterLengths } from "./declaredLengths.js"
import { type DuckFailure, describe, readJsonRows, runStatement } from "./duck.js"
import {
  type ColumnMeta,
  EngineError,
  type EngineHooks,
  type EngineSession,
  type ExecuteOptions,
  rowCount,
  type SessionContext,
  type StatementResult
} from "./Engine.js"
import { columnEncoding, encodingQuery } from "./encode.js"
import { fromDuckMessage } from "./errors.js"
import { packRows } from "./jsonRows.js"
import { alterWithLengths, inTransaction, withLengthChecks } from "./lengthDdl.js"
import { likeRegExp, quoteIdent } from "./lexer.js"
import { dmlResult, fixedColumn, jsonRowsResult, statusResult, textColumn } from "./results.js"
import { toDuckDb } from "./transpile.js"
import { typedCtas } from "./typedCtas.js"
import { readName, skipModifiers, type Words, words } from "./words.js"

export interface SessionDeps {
  readonly connection: DuckDBConnection
  readonly catalog: Catalog
  readonly context: Ref.Ref<SessionContext>
  readonly sessionId: string
  readonly hooks?: EngineHooks
}

export const makeSession = (deps: SessionDeps): EngineSession => {
  const { connection, catalog } = deps

  const duckError = (sql: string) => (failure: DuckFailure) =>
    Ref.get(deps.context).pipe(
      Effect.flatMap((ctx) =>
        Effect.fail(fromDuckMessage(failure.message, { database: ctx.database, schema: ctx.schema, sql }))
      )
    )

  const run = (sql: string, original: string) =>
    runStatement(connection, sql).pipe(Effect.catchAll(duckError(original)))

  /** Runs a DuckDB query and encodes its rows (or only describes it). */
  const query = (duckSql: string, original: string, describeOnly: boolean, typeId: number) =>
    Effect.gen(function* () {
      const described = yield* describe(connection, describeOnly ? nullMarkers(duckSql) : duckSql).pipe(
        Effect.catchAll(duckError(original))
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
        : yield* readJsonRows(connection, encodingQuery(duckSql, encodings)).pipe(
            Effect.catchAll(duckError(original))
          )
      const context = yield* Ref.get(deps.context)
      return jsonRowsResult(columns, rowsJson, typeId, context)
    })

  const setContext = (patch: Partial<SessionContext>) => Ref.update(deps.context, (c) => ({ ...c, ...patch }))

  const status = (message: string, kind: StatementKind) =>
    Ref.get(deps.context).pipe(Effect.map((ctx) => statusResult(message, STATEMENT_TYPE_ID[kind], ctx)))

  const useDuck = (database: string, schema: string, sql: string) =>
    run(`USE ${quoteIdent(database)}.${quoteIdent(schema)}`, sql)

  const handleUse = (w: Words, sql: string) =>
    Effect.gen(function* () {
      const ctx = yield* Ref.get(deps.context)
      const what = w.upper[1]
      const explicit = what === "DATABASE" || what === "SCHEMA" || what === "WAREHOUSE" || what === "ROLE"
      const { parts } = readName(w, explicit ? 2 : 1)
      const kind = explicit ? what : parts.length > 1 ? "SCHEMA" : "DATABASE"
      if (kind === "WAREHOUSE") {
        const name = parts[0] ?? ""
        if (!catalog.warehouses.has(name)) return yield* Effect.fail(EngineError.objectNotFound(name))
        yield* setContext({ warehouse: name })
        return { ...(yield* status("Statement executed successfully.", "use")), statementTypeId: 17155 }
      }
      if (kind === "ROLE") {
        yield* setContext({ role: parts[0] ?? null })
        return yield* status("Statement executed successfully.", "use")
      }
      if (kind === "DATABASE") {
        const name = parts[0] ?? ""
        if (!(yield* databaseExists(catalog, name).pipe(Effect.orDie))) {
          return yield* Effect.fail(EngineError.cannotUse())
        }
        yield* useDuck(name, DEFAULT_SCHEMA, sql).pipe(
          Effect.catchAll(() => run(`USE ${quoteIdent(name)}`, sql))
        )
        yield* setContext({ database: name, schema: DEFAULT_SCHEMA })
        return { ...(yield* status("Statement executed successfully.", "use")), statementTypeId: 17153 }
      }
      const database = parts.length > 1 ? (parts[0] as string) : ctx.database
      const schema = parts[parts.length - 1] as string
      if (database === null) return yield* Effect.fail(EngineError.objectNotFound(schema))
      yield* useDuck(database, schema, sql).pipe(Effect.mapError(() => EngineError.cannotUse()))
      yield* setContext({ database, schema })
      return { ...(yield* status("Statement executed successfully.", "use")), statementTypeId: 17154 }
    })

  const showWarehouses = (w: Words) =>
    Effect.gen(function* () {
      const ctx = yield* Ref.get(deps.context)
      const at = w.upper.indexOf("LIKE")
      const pattern = at >= 0 ? w.tokens[at + 1]?.text.slice(1, -1) : undefined
      const like = pattern === undefined ? undefined : likeRegExp(pattern)
      const names = [
        "name",
        "state",
        "type",
        "size",
        "min_cluster_count",
        "max_cluster_count",
        "started_clusters",
        "running",
        "queued",
        "is_default",
        "is_current",
        "is_interactive",
        "auto_suspend",
        "auto_resume",
        "available",
        "provisioning",
        "quiescing",
        "other",
        "created_on",
        "resumed_on",
        "updated_on",
        "owner",
        "comment",
        "enable_query_acceleration",
        "query_acceleration_max_scale_factor",
        "resource_monitor",
        "actives",
        "pendings",
        "failed",
        "suspended",
        "uuid",
        "scaling_policy",
        "budget",
        "owner_role_type",
        "resource_constraint"
      ]
      const fixedColumns = new Set([
        "min_cluster_count",
        "max_cluster_count",
        "started_clusters",
        "running",
        "queued",
        "auto_suspend",
        "query_acceleration_max_scale_factor",
        "actives",
        "pendings",
        "failed",
        "suspended"
      ])
      const columns = names.map((n): ColumnMeta => (fixedColumns.has(n) ? fixedColumn(n) : textColumn(n)))
      const rows = [...catalog.warehouses.values()]
        .filter((wh) => like === undefined || like.test(wh.name))
        .map((wh) => {
          const started = wh.state === "STARTED"
          const ts = `${(wh.createdOn.getTime() / 1000).toFixed(9)}`
          return [
            wh.name,
            wh.state,
            wh.type,
            wh.size,
            String(wh.minClusterCount),
            String(wh.maxClusterCount),
            started ? "1" : "0",
            "0",
            "0",
            wh.name === "COMPUTE_WH" ? "Y" : "N",
            wh.name === ctx.warehouse ? "Y" : "N",
            "false",
            wh.autoSuspend === null ? null : String(wh.autoSuspend),
            String(wh.autoResume),
            "100",
            "0",
            "0",
            "0",
            ts,
            ts,
            ts,
            "SYSADMIN",
            wh.comment ?? "",
            "false",
            "8",
            null,
            "0",
            "0",
            "0",
            started ? "0" : "1",
            "00000000-0000-0000-0000-000000000000",
            "STANDARD",
            null,
            "ROLE",
            null
          ]
        })
      // created_on/resumed_on/updated_on are timestamps
      const tsColumns = new Set(["created_on", "resumed_on", "updated_on"])
      const typed = columns.map((c) =>
        tsColumns.has(c.name)
          ? { ...c, type: "timestamp_ltz" as const, precision: 0, scale: 9, length: null, byteLength: null }
          : c
      )
      return {
        columns: typed,
        rows,
        statementTypeId: STATEMENT_TYPE_ID.show,
        context: ctx
      } satisfies StatementResult
    })

  const warehouseOptions = (w: Words, wh: ReturnType<typeof newWarehouse>) => {
    for (let i = 0; i < w.upper.length; i++) {
      const key = w.upper[i]
      if (w.upper[i + 1] !== "=") continue
      const raw = w.tokens[i + 2]
      const value = raw === undefined ? "" : raw.kind === "string" ? raw.text.slice(1, -1) : raw.text
      if (key === "WAREHOUSE_SIZE") wh.size = normalizeSize(value)
      else if (key === "AUTO_SUSPEND") wh.autoSuspend = value.toUpperCase() === "NULL" ? null : Number(value)
      else if (key === "AUTO_RESUME") wh.autoResume = value.toUpperCase() === "TRUE"
      else if (key === "INITIALLY_SUSPENDED" && value.toUpperCase() === "TRUE") wh.state = "SUSPENDED"
      else if (key === "MIN_CLUSTER_COUNT") wh.minClusterCount = Number(value)
      else if (key === "MAX_CLUSTER_COUNT") wh.maxClusterCount = Number(value)
      else if (key === "WAREHOUSE_TYPE") wh.type = value.toUpperCase()
      else if (key === "COMMENT") wh.comment = value
    }
  }

  const handleDdl = (w: Words, sql: string, kind: StatementKind, options: ExecuteOptions) =>
    Effect.gen(function* () {
      const verb = w.upper[0]
      const mods = skipModifiers(w, 1)
      const object = w.upper[mods.i]
      const after = skipModifiers(w, mods.i + 1)
      const { parts } = readName(w, after.i)
      const name = parts[parts.length - 1] ?? ""
      const ctx = yield* Ref.get(deps.context)
      const ifClause = mods.ifClause || after.ifClause
      if (object === "DATABASE" && (verb === "CREATE" || verb === "DROP")) {
        const exists = yield* databaseExists(catalog, name).pipe(Effect.orDie)
        if (verb === "CREATE") {
          if (exists && ifClause) return yield* status(`${name} already exists, statement succeeded.`, kind)
          if (exists && !mods.orReplace) return yield* Effect.fail(EngineError.alreadyExists(name))
          if (exists) yield* dropDatabase(catalog, name).pipe(Effect.catchAll(duckError(sql)))
          yield* createDatabase(catalog, name).pipe(Effect.catchAll(duckError(sql)))
          // Snowflake makes the new database (and its PUBLIC schema) current
          yield* useDuck(name, DEFAULT_SCHEMA, sql)
          yield* setContext({ database: name, schema: DEFAULT_SCHEMA })
          return yield* status(`Database ${name} successfully created.`, kind)
        }
        if (!exists) {
          if (ifClause)
            return yield* status(`Drop statement executed successfully (${name} already dropped).`, kind)
          return yield* Effect.fail(EngineError.notFound(`Database '${name}'`))
        }
        if (ctx.database === name) {
          yield* run(`USE ${quoteIdent(catalog.internal.values().next().value as string)}`, sql)
          yield* setContext({ database: null, schema: null })
        }
        yield* dropDatabase(catalog, name).pipe(Effect.catchAll(duckError(sql)))
        return yield* status(`${name} successfully dropped.`, kind)
      }
      if (object === "SCHEMA" && (verb === "CREATE" || verb === "DROP")) {
        const database = parts.length > 1 ? (parts[0] as string) : ctx.database
        const target = qualified([database ?? "", name])
        if (verb === "CREATE") {
          const sqlText = mods.orReplace
            ? `DROP SCHEMA IF EXISTS ${target} CASCADE; CREATE SCHEMA ${target}`
            : `CREATE SCHEMA ${ifClause ? "IF NOT EXISTS " : ""}${target}`
          yield* run(sqlText, sql)
          yield* useDuck(database ?? "", name, sql)
          yield* setContext({ database, schema: name })
          return yield* status(`Schema ${name} successfully created.`, kind)
        }
        yield* run(`DROP SCHEMA ${ifClause ? "IF EXISTS " : ""}${target} CASCADE`, sql)
        if (ctx.schema === name && ctx.database === database) yield* setContext({ schema: null })
        return yield* status(`${name} successfully dropped.`, kind)
      }
      if (object === "WAREHOUSE") {
        const existing = catalog.warehouses.get(name)
        if (verb === "CREATE") {
          if (existing && ifClause) return yield* status(`${name} already exists, statement succeeded.`, kind)
          if (existing && !mods.orReplace) return yield* Effect.fail(EngineError.alreadyExists(name))
          const wh = newWarehouse(name, new Date())
          warehouseOptions(w, wh)
          catalog.warehouses.set(name, wh)
          yield* setContext({ warehouse: name })
          return yield* status(`Warehouse ${name} successfully created.`, kind)
        }
        if (existing === undefined) {
          if (ifClause)
            return yield* status(`Drop statement executed successfully (${name} already dropped).`, kind)
          return yield* Effect.fail(EngineError.objectNotFound(name))
        }
        if (verb === "DROP") {
          catalog.warehouses.delete(name)
          if (ctx.warehouse === name) yield* setContext({ warehouse: null })
          return yield* status(`${name} successfully dropped.`, kind)
        }
        if (verb === "ALTER") {
          if (w.upper.includes("SUSPEND")) existing.state = "SUSPENDED"
          if (w.upper.includes("RESUME")) existing.state = "STARTED"
          warehouseOptions(w, existing)
          return yield* status("Statement executed successfully.", kind)
        }
      }
      // everything else goes to DuckDB (ALTER TABLE with string lengths: lengthDdl.ts)
      const alter = alterLengths(w)
      const ctas = alter === undefined ? typedCtas(sql, w) : undefined
      if (ctas !== undefined)
        yield* inTransaction(
          connection,
          Effect.zipRight(general(ctas.create, "ddl", options), general(ctas.insert, "insert", options))
        ).pipe(Effect.catchAll((e) => (e instanceof EngineError ? Effect.fail(e) : duckError(sql)(e))))
      else if (alter === undefined) yield* general(sql, "ddl", options)
      else yield* alterWithLengths(connection, ctx, alter, general(sql, "ddl", options), duckError(sql))
      if (verb === "CREATE" && (object === "TABLE" || object === "VIEW")) {
        return yield* status(`${object === "TABLE" ? "Table" : "View"} ${name} successfully created.`, kind)
      }
      if (verb === "DROP" && parts.length > 0) return yield* status(`${name} successfully dropped.`, kind)
      return yield* status("Statement executed successfully.", kind)
    })

  const handleShow = (w: Words, sql: string, options: ExecuteOptions) =>
    Effect.gen(function* () {
      const ctx = yield* Ref.get(deps.context)
      const mods = skipModifiers(w, 1)
      const what = w.upper[mods.i === 1 && w.upper[1] === "TERSE" ? 2 : mods.i]
      const typeId = STATEMENT_TYPE_ID.show
      const describeOnly = options.describeOnly === true
      const internal = catalog.internal.values().next().value as string
      switch (what) {
        case "WAREHOUSES":
          return yield* showWarehouses(w)
        case "DATABASES":
          return yield* query(showDatabasesSql(w, ctx.database, internal), sql, describeOnly, typeId)
        case "SCHEMAS": {
          const scope = inScope(w, ctx.database, ctx.schema)
          return yield* query(showSchemasSql(w, scope.database, ctx.schema), sql, describeOnly, typeId)
        }
        case "TABLES":
        case "OBJECTS":
        case "VIEWS": {
          const scope = inScope(w, ctx.database, w.upper.includes("IN") ? null : ctx.schema)
          return yield* query(
            showTablesSql(w, scope.database, scope.schema, what === "VIEWS"),
            sql,
            describeOnly,
            typeId
          )
        }
        case "COLUMNS": {
          const at = w.upper.indexOf("IN")
          const target = at >= 0 ? readName(w, w.upper[at + 1] === "TABLE" ? at + 2 : at + 1).parts : []
          const table = target.length > 0 ? (target[target.length - 1] as string) : null
          const schema =
            target.length >= 2 ? (target[target.length - 2] as string) : table === null ? null : ctx.schema
          const database = target.length >= 3 ? (target[0] as string) : ctx.database
          return yield* query(showColumnsSql(w, database, schema, table), sql, describeOnly, typeId)
        }
        default:
          return yield* Effect.fail(EngineError.unexpected(w.tokens[1]?.text ?? "", { line: 1, pos: 5 }))
      }
    })

  const handleDescribe = (w: Words, sql: string, options: ExecuteOptions) =>
    Effect.gen(function* () {
      const ctx = yield* Ref.get(deps.context)
      const start = w.upper[1] === "TABLE" || w.upper[1] === "VIEW" ? 2 : 1
      const { parts } = readName(w, start)
      const table = parts[parts.length - 1] ?? ""
      const schema = parts.length >= 2 ? (parts[parts.length - 2] as string) : (ctx.schema ?? "")
      const database = parts.length >= 3 ? (parts[0] as string) : (ctx.database ?? "")
      const result = yield* query(
        describeTableSql(database, schema, table),
        sql,
        options.describeOnly === true,
        STATEMENT_TYPE_ID.describe
      )
      if (rowCount(result) === 0 && options.describeOnly !== true) {
        return yield* Effect.fail(EngineError.objectNotFound(`${database}.${schema}.${table}`))
      }
      return result
    })

  /** The translated-SQL path: SELECT, DML and DuckDB-handled DDL. */
  const general = (sql: string, kind: StatementKind, options: ExecuteOptions) =>
    Effect.gen(function* () {
      const ctx = yield* Ref.get(deps.context)
      const translated = toDuckDb(sql, { ...ctx, sessionId: deps.sessionId })
      const duckSql = kind === "ddl" ? withLengthChecks(sql, translated) : translated
      const bindings = options.bindings ?? {}
      const typeId = STATEMENT_TYPE_ID[kind]
      if (options.describeOnly === true) {
        const numberOfBinds = countMarkers(sql)
        if (kind === "query" || kind === "unknown") {
          return { ...(yield* query(duckSql, sql, true, typeId)), numberOfBinds }
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
        try: () =>
          Array.from({ length: batchSize(bindings) }, (_, row) => substitute(duckSql, bindings, row)),
        catch: (e) => (e instanceof EngineError ? e : EngineError.binding(String(e)))
      })
      if (kind === "query" || kind === "unknown") {
        if (bound.length === 1) return yield* query(bound[0] as string, sql, false, typeId)
      }
      let total = 0
      if (kind === "insert" && bound.length > 1) {
        total = yield* run(mergeInserts(bound), sql)
      } else {
        for (const statement of bound) total += yield* run(statement, sql)
      }
      const after = yield* Ref.get(deps.context)
      if (kind === "insert" || kind === "update" || kind === "delete" || kind === "merge") {
        return dmlResult(kind, total, typeId, after)
      }
      return statusResult("Statement executed successfully.", typeId, after)
    })

  const execute = (
    sql: string,
    options: ExecuteOptions = {}
  ): Effect.Effect<StatementResult, EngineError> => {
    const hooks = deps.hooks
    const { bindStage, ...rest } = options
    if (bindStage !== undefined && options.describeOnly !== true) {
      const run = hooks?.bindStage
      if (run === undefined) return Effect.fail(EngineError.unsupported("bind stage"))
      return Effect.flatMap(Ref.get(deps.context), (context) =>
        run(sql, bindStage, { connection, context, sessionId: deps.sessionId }, (bindings) =>
          dispatch(sql, { ...rest, bindings })
        )
      )
    }
    if (hooks === undefined || options.describeOnly === true) return dispatch(sql, rest)
    return Effect.flatMap(
      Ref.get(deps.context),
      (context) =>
        hooks.statement(sql, { connection, context, sessionId: deps.sessionId }, (other) =>
          dispatch(other, rest)
        ) ?? dispatch(sql, rest)
    )
  }

  const dispatch = (sql: string, options: ExecuteOptions): Effect.Effect<StatementResult, EngineError> => {
    const kind = classify(sql)
    const w = words(sql)
    switch (kind) {
      case "use":
        return handleUse(w, sql)
      case "show":
        return handleShow(w, sql, options)
      case "describe":
        return handleDescribe(w, sql, options)
      case "alter_session":
        return status("Statement executed successfully.", kind)
      case "transaction":
        return run(w.upper[0] === "START" ? "BEGIN TRANSACTION" : (w.upper[0] as string), sql).pipe(
          Effect.zipRight(status("Statement executed successfully.", kind))
        )
      case "ddl":
        return handleDdl(w, sql, kind, options)
      default:
        return general(sql, kind, options)
    }
  }

  return {
    context: Ref.get(deps.context),
    execute
  }
}

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

const normalizeSize = (value: string): string => {
  const sizes: Record<string, string> = {
    XSMALL: "X-Small",
    "X-SMALL": "X-Small",
    SMALL: "Small",
    MEDIUM: "Medium",
    LARGE: "Large",
    XLARGE: "X-Large",
    "X-LARGE": "X-Large",
    XXLARGE: "2X-Large",
    "2X-LARGE": "2X-Large",
    XXXLARGE: "3X-Large",
    "3X-LARGE": "3X-Large",
    "4X-LARGE": "4X-Large",
    X4LARGE: "4X-Large",
    "5X-LARGE": "5X-Large",
    "6X-LARGE": "6X-Large"
  }
  return sizes[value.toUpperCase()] ?? value
}
