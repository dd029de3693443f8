/**
 * Request fingerprints: what identifies a recorded interaction.
 *
 * A statement's fingerprint is its operation, its normalised SQL (normalizeSql.ts), its bind
 * values as sent on the wire (type and text, so `1n` and `1` agree but `1` and `"1"` do not), its
 * effective context — each of warehouse, role, database, schema from the query's override, else the
 * connection's default; unquoted names upper-cased like Snowflake resolves them — and the options
 * that change the answer: `describeOnly` and statement parameters (except QUERY_TAG and
 * STATEMENT_TIMEOUT_IN_SECONDS, which do not). Row mode, decode options, row schemas, query tags and
 * timeouts are not part of it: a replay applies them to the recorded answer.
 *
 * status, awaitResult and cancel are identified by their operation and query id.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { InvalidBinding } from "../errors/Query.js"
import { encodeQueryBindings } from "../protocol/binds.js"
import { quoteIdentifier } from "../sql/identifier.js"
import type * as Query from "../sql/Query.js"
import type { Operation, RecordedContext, Request } from "./Cassette.js"
import { normalizeSql } from "./normalizeSql.js"
import * as StableJson from "./stableJson.js"

const contextKeys = ["warehouse", "role", "database", "schema"] as const

/** Snowflake resolves an unquoted name upper-case; a name that needs quoting is exact. */
export const contextName = (name: string): string =>
  quoteIdentifier(name) === name ? name.toUpperCase() : name

/** The context a query runs in: its overrides on top of the connection's defaults. */
export const effectiveContext = (query: Query.Query, defaults: RecordedContext): RecordedContext => {
  const context: Record<string, string> = {}
  for (const key of contextKeys) {
    const name = query[key] ?? defaults[key]
    if (name !== undefined) context[key] = contextName(name)
  }
  return context
}

/** Parameters that do not change a statement's answer. */
const inertParameters: ReadonlySet<string> = new Set(["QUERY_TAG", "STATEMENT_TIMEOUT_IN_SECONDS"])

const answerParameters = (query: Query.Query) => {
  const kept = Object.entries(query.parameters ?? {})
    .map(([name, value]) => [name.toUpperCase(), value] as const)
    .filter(([name]) => !inertParameters.has(name))
  return kept.length === 0 ? undefined : Object.fromEntries(kept)
}

/** The fingerprint of a statement. Fails with InvalidBinding exactly like sending it would. */
export const ofStatement = (
  operation: Operation,
  query: Query.Query,
  defaults: RecordedContext
): Effect.Effect<Request, InvalidBinding> =>
  Either.match(encodeQueryBindings(query.bindings), {
    onLeft: Effect.fail,
    onRight: (bindings) => {
      const context = effectiveContext(query, defaults)
      const parameters = answerParameters(query)
      return Effect.succeed<Request>({
        operation,
        sql: normalizeSql(query.sql),
        ...(bindings !== undefined ? { bindings } : {}),
        ...(Object.keys(context).length > 0 ? { context } : {}),
        ...(query.describeOnly ? { describeOnly: true } : {}),
        ...(parameters !== undefined ? { parameters } : {})
      })
    }
  })

/** The fingerprint of a question about a query by id. */
export const ofQueryId = (operation: Operation, queryId: string): Request => ({ operation, queryId })

/** Equal fingerprints have equal keys. */
export const key = (request: Request): string => StableJson.key(request)
