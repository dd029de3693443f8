/**
 * `Query`: an immutable description of one statement — SQL text, bind values and per-statement
 * context (warehouse, role, database, schema, query tag, timeout, describe-only, session
 * parameters). Nothing here runs anything; the query engine turns a `Query` into a query-request.
 *
 * Every combinator is dual (`Query.tag(q, "x")` or `q.pipe(Query.tag("x"))`) and returns a new
 * value; the input is never mutated.
 */
import * as Duration from "effect/Duration"
import * as Equal from "effect/Equal"
import { dual } from "effect/Function"
import * as Hash from "effect/Hash"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import { hasProperty } from "effect/Predicate"

export const TypeId: unique symbol = Symbol.for("effect-snowflake/Query")
export type TypeId = typeof TypeId

/** Values for `?` / `:1` placeholders, in order. */
export interface Positional {
  readonly _tag: "Positional"
  readonly values: ReadonlyArray<unknown>
  /** Batch bind: `values` are rows (arrays), each run once — see `bindBatch`. */
  readonly batch?: true
}

/** Values for `:name` placeholders. */
export interface Named {
  readonly _tag: "Named"
  readonly values: Readonly<Record<string, unknown>>
}

export type ParameterValue = string | number | boolean

export interface Query extends Pipeable, Equal.Equal {
  readonly [TypeId]: TypeId
  readonly sql: string
  readonly bindings: Positional | Named | undefined
  readonly warehouse?: string
  readonly role?: string
  readonly database?: string
  readonly schema?: string
  readonly tag?: string
  readonly timeout?: Duration.Duration
  readonly describeOnly?: boolean
  readonly parameters?: Readonly<Record<string, ParameterValue>>
}

/** The plain data of a query, without its prototype (what `make`/`with` copy around). */
type QueryData = Omit<Query, TypeId | "pipe" | typeof Equal.symbol | typeof Hash.symbol>

const dataKeys = [
  "sql",
  "bindings",
  "warehouse",
  "role",
  "database",
  "schema",
  "tag",
  "timeout",
  "describeOnly",
  "parameters"
] as const

const QueryProto = {
  [TypeId]: TypeId,
  pipe(this: Query) {
    // biome-ignore lint/complexity/noArguments: pipeArguments is Effect's documented way to implement Pipeable
    return pipeArguments(this, arguments)
  },
  // Structural equality on the SQL and context; bind values are compared by JSON shape so two
  // queries built the same way are equal (useful for cassettes and caches).
  [Equal.symbol](this: Query, that: Equal.Equal): boolean {
    if (!isQuery(that)) return false
    return dataKeys.every((key) => {
      const a = this[key]
      const b = that[key]
      if (a === b) return true
      if (a === undefined || b === undefined) return false
      if (Duration.isDuration(a) && Duration.isDuration(b)) return Duration.equals(a, b)
      return stableJson(a) === stableJson(b)
    })
  },
  [Hash.symbol](this: Query): number {
    return Hash.cached(this, Hash.string(`${this.sql}\u0000${this.tag ?? ""}\u0000${this.warehouse ?? ""}`))
  },
  toJSON(this: Query) {
    const out: Record<string, unknown> = { _id: "Query" }
    for (const key of dataKeys) {
      const value = this[key]
      if (value !== undefined) out[key] = Duration.isDuration(value) ? Duration.format(value) : value
    }
    return out
  }
}

const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? `${v}n` : v))

const fromData = (data: QueryData): Query => {
  const query = Object.create(QueryProto) as { -readonly [K in keyof QueryData]: QueryData[K] }
  for (const key of dataKeys) {
    const value = data[key]
    // Absent optional fields stay absent (exactOptionalPropertyTypes), `bindings` is always present.
    if (value !== undefined || key === "bindings") (query as Record<string, unknown>)[key] = value
  }
  return query as unknown as Query
}

const withFields = (self: Query, patch: Partial<QueryData>): Query => fromData({ ...toData(self), ...patch })

const toData = (self: Query): QueryData => {
  const data: Record<string, unknown> = {}
  for (const key of dataKeys) data[key] = self[key]
  return data as unknown as QueryData
}

export const isQuery = (u: unknown): u is Query => hasProperty(u, TypeId)

/** A query with no bindings and no per-statement context. */
export const make = (sql: string): Query => fromData({ sql, bindings: undefined })

/**
 * Sets the positional bind values (replacing any previous bindings). Values are checked and
 * encoded when the query is sent; an unsupported value fails with `InvalidBinding` before any I/O.
 */
export const bind: {
  // Data-first is listed first so `bind(query, 1)` is not read as binding the query itself.
  (self: Query, ...values: ReadonlyArray<unknown>): Query
  (...values: ReadonlyArray<unknown>): (self: Query) => Query
} = dual(
  (args) => isQuery(args[0]),
  (self: Query, ...values: ReadonlyArray<unknown>): Query =>
    withFields(self, { bindings: { _tag: "Positional", values } })
)

/**
 * Sets batch (array) bindings: each row is one set of positional values and the statement runs
 * once per row (`INSERT … VALUES (?, ?)` with many rows). Replaces any previous bindings.
 */
export const bindBatch: {
  (rows: ReadonlyArray<ReadonlyArray<unknown>>): (self: Query) => Query
  (self: Query, rows: ReadonlyArray<ReadonlyArray<unknown>>): Query
} = dual(
  2,
  (self: Query, rows: ReadonlyArray<ReadonlyArray<unknown>>): Query =>
    withFields(self, { bindings: { _tag: "Positional", values: rows, batch: true } })
)

/** Sets named bind values for `:name` placeholders (replacing any previous bindings). */
export const bindNamed: {
  (values: Readonly<Record<string, unknown>>): (self: Query) => Query
  (self: Query, values: Readonly<Record<string, unknown>>): Query
} = dual(
  2,
  (self: Query, values: Readonly<Record<string, unknown>>): Query =>
    withFields(self, { bindings: { _tag: "Named", values: { ...values } } })
)

const setter = <K extends "warehouse" | "role" | "database" | "schema" | "tag">(key: K) =>
  dual<(value: string) => (self: Query) => Query, (self: Query, value: string) => Query>(
    2,
    (self: Query, value: string): Query => withFields(self, { [key]: value } as Partial<QueryData>)
  )

/** Runs the statement on this warehouse (the session's warehouse is switched for it). */
export const warehouse = setter("warehouse")
/** Runs the statement with this role. */
export const role = setter("role")
/** Runs the statement with this current database. */
export const database = setter("database")
/** Runs the statement with this current schema. */
export const schema = setter("schema")
/** Sets `QUERY_TAG` for this statement (visible in QUERY_HISTORY). */
export const tag = setter("tag")

/** Fails the statement with `QueryTimeout` (and cancels it on the server) after this long. */
export const timeout: {
  (duration: Duration.DurationInput): (self: Query) => Query
  (self: Query, duration: Duration.DurationInput): Query
} = dual(
  2,
  (self: Query, duration: Duration.DurationInput): Query =>
    withFields(self, { timeout: Duration.decode(duration) })
)

/** Only compile the statement: the answer carries the rowtype and no rows. */
export const describeOnly = (self: Query): Query => withFields(self, { describeOnly: true })

/** Adds one statement-level parameter (sent in the query-request `parameters`). */
export const parameter: {
  (name: string, value: ParameterValue): (self: Query) => Query
  (self: Query, name: string, value: ParameterValue): Query
} = dual(
  3,
  (self: Query, name: string, value: ParameterValue): Query =>
    withFields(self, { parameters: { ...self.parameters, [name]: value } })
)
