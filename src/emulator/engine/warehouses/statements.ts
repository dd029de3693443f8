/**
 * CREATE, ALTER, DROP and SHOW WAREHOUSES, answered by the engine itself from the warehouses it
 * keeps (Warehouse.ts), shown back as Snowflake shows them.
 */
import { Effect } from "effect"
import type { StatementKind } from "../classify.js"
import { STATEMENT_TYPE_ID } from "../classify.js"
import { currentContext, type SessionScope, setContext, status } from "../context.js"
import { type ColumnMeta, EngineError, type SessionContext, type StatementResult } from "../Engine.js"
import { likeRegExp } from "../lexer.js"
import { fixedColumn, textColumn } from "../results.js"
import type { Words } from "../words.js"
import { DEFAULT_WAREHOUSE, newWarehouse, normalizeSize, type Warehouse } from "./Warehouse.js"

/** `KEY = value` options of CREATE / ALTER WAREHOUSE, set on `wh`. */
const applyOptions = (w: Words, wh: Warehouse) => {
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

/** CREATE, DROP or ALTER WAREHOUSE `name` (modifiers already read); undefined for another verb. */
export const warehouseDdl = (
  scope: SessionScope,
  w: Words,
  verb: string | undefined,
  name: string,
  modifiers: { readonly orReplace: boolean; readonly ifClause: boolean },
  kind: StatementKind
): Effect.Effect<StatementResult, EngineError> | undefined => {
  const warehouses = scope.catalog.warehouses
  const existing = warehouses.get(name)
  if (verb === "CREATE") {
    if (existing && modifiers.ifClause)
      return status(scope, `${name} already exists, statement succeeded.`, kind)
    if (existing && !modifiers.orReplace) return Effect.fail(EngineError.alreadyExists(name))
    const wh = newWarehouse(name, new Date())
    applyOptions(w, wh)
    warehouses.set(name, wh)
    return Effect.zipRight(
      setContext(scope, { warehouse: name }),
      status(scope, `Warehouse ${name} successfully created.`, kind)
    )
  }
  if (existing === undefined) {
    if (modifiers.ifClause)
      return status(scope, `Drop statement executed successfully (${name} already dropped).`, kind)
    return Effect.fail(EngineError.objectNotFound(name))
  }
  if (verb === "DROP")
    return Effect.gen(function* () {
      warehouses.delete(name)
      if ((yield* currentContext(scope)).warehouse === name) yield* setContext(scope, { warehouse: null })
      return yield* status(scope, `${name} successfully dropped.`, kind)
    })
  if (verb === "ALTER") {
    if (w.upper.includes("SUSPEND")) existing.state = "SUSPENDED"
    if (w.upper.includes("RESUME")) existing.state = "STARTED"
    applyOptions(w, existing)
    return status(scope, "Statement executed successfully.", kind)
  }
  return undefined
}

type Cell = string | null

/** created_on, resumed_on, updated_on: TIMESTAMP_LTZ cells (epoch seconds, 9 decimals). */
const timestamp = (name: string): ColumnMeta => ({
  ...textColumn(name),
  type: "timestamp_ltz",
  precision: 0,
  scale: 9,
  length: null,
  byteLength: null
})

const epoch = (wh: Warehouse) => `${(wh.createdOn.getTime() / 1000).toFixed(9)}`
const started = (wh: Warehouse) => wh.state === "STARTED"

/** SHOW WAREHOUSES, column by column: its name, its type, its value for a warehouse. */
const SHOW_COLUMNS: ReadonlyArray<
  readonly [
    name: string,
    type: (name: string) => ColumnMeta,
    value: (wh: Warehouse, ctx: SessionContext) => Cell
  ]
> = [
  ["name", textColumn, (wh) => wh.name],
  ["state", textColumn, (wh) => wh.state],
  ["type", textColumn, (wh) => wh.type],
  ["size", textColumn, (wh) => wh.size],
  ["min_cluster_count", fixedColumn, (wh) => String(wh.minClusterCount)],
  ["max_cluster_count", fixedColumn, (wh) => String(wh.maxClusterCount)],
  ["started_clusters", fixedColumn, (wh) => (started(wh) ? "1" : "0")],
  ["running", fixedColumn, () => "0"],
  ["queued", fixedColumn, () => "0"],
  ["is_default", textColumn, (wh) => (wh.name === DEFAULT_WAREHOUSE ? "Y" : "N")],
  ["is_current", textColumn, (wh, ctx) => (wh.name === ctx.warehouse ? "Y" : "N")],
  ["is_interactive", textColumn, () => "false"],
  ["auto_suspend", fixedColumn, (wh) => (wh.autoSuspend === null ? null : String(wh.autoSuspend))],
  ["auto_resume", textColumn, (wh) => String(wh.autoResume)],
  ["available", textColumn, () => "100"],
  ["provisioning", textColumn, () => "0"],
  ["quiescing", textColumn, () => "0"],
  ["other", textColumn, () => "0"],
  ["created_on", timestamp, epoch],
  ["resumed_on", timestamp, epoch],
  ["updated_on", timestamp, epoch],
  ["owner", textColumn, () => "SYSADMIN"],
  ["comment", textColumn, (wh) => wh.comment ?? ""],
  ["enable_query_acceleration", textColumn, () => "false"],
  ["query_acceleration_max_scale_factor", fixedColumn, () => "8"],
  ["resource_monitor", textColumn, () => null],
  ["actives", fixedColumn, () => "0"],
  ["pendings", fixedColumn, () => "0"],
  ["failed", fixedColumn, () => "0"],
  ["suspended", fixedColumn, (wh) => (started(wh) ? "0" : "1")],
  ["uuid", textColumn, () => "00000000-0000-0000-0000-000000000000"],
  ["scaling_policy", textColumn, () => "STANDARD"],
  ["budget", textColumn, () => null],
  ["owner_role_type", textColumn, () => "ROLE"],
  ["resource_constraint", textColumn, () => null]
]

/** SHOW WAREHOUSES [LIKE 'pattern']. */
export const showWarehouses = (scope: SessionScope, w: Words): Effect.Effect<StatementResult> =>
  Effect.map(currentContext(scope), (ctx) => {
    const at = w.upper.indexOf("LIKE")
    const pattern = at >= 0 ? w.tokens[at + 1]?.text.slice(1, -1) : undefined
    const like = pattern === undefined ? undefined : likeRegExp(pattern)
    const rows = [...scope.catalog.warehouses.values()]
      .filter((wh) => like === undefined || like.test(wh.name))
      .map((wh) => SHOW_COLUMNS.map(([, , value]) => value(wh, ctx)))
    return {
      columns: SHOW_COLUMNS.map(([name, type]) => type(name)),
      rows,
      statementTypeId: STATEMENT_TYPE_ID.show,
      context: ctx
    } satisfies StatementResult
  })
