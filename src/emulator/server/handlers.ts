/**
 * One function per route (PROTOCOL.md §2–§7). Each takes a fully read request and answers with a
 * reply value; the HTTP plumbing and fault injection live in server.ts.
 */
import { Clock, Effect, Option, Scope } from "effect"
import type { Binding, Bindings, Engine, SessionContext } from "../engine/Engine.js"
import { authenticate, type LoginData } from "./auth.js"
import { type Chunks, chunkKeyHeader } from "./chunks.js"
import { fail, inProgress, ok } from "./envelope.js"
import type { Execution } from "./execution.js"
import type { Faults } from "./faults.js"
import { ruleFromJson } from "./faults.js"
import {
  type EmulatorRequest,
  envelopeReply,
  header,
  jsonBody,
  jsonReply,
  type Reply,
  textReply
} from "./http.js"
import type { ResolvedOptions } from "./options.js"
import { fromJson, type ParameterValue, responseParameters } from "./parameters.js"
import { isRunning, monitoringEntry, type Queries, type QueryRecord } from "./queries.js"
import { isQueryId, type Route } from "./routes.js"
import type { Session, Sessions } from "./sessions.js"

export interface ServerContext {
  readonly options: ResolvedOptions
  readonly engine: Engine
  readonly sessions: Sessions
  readonly queries: Queries
  readonly execution: Execution
  readonly chunks: Chunks
  readonly faults: Faults
}

const authorized = (
  ctx: ServerContext,
  request: EmulatorRequest,
  use: (session: Session) => Effect.Effect<Reply>
): Effect.Effect<Reply> =>
  ctx.sessions.authorize(header(request, "authorization")).pipe(
    Effect.matchEffect({
      onFailure: (failure) => Effect.succeed(envelopeReply(failure.envelope, failure.status)),
      onSuccess: use
    })
  )

/** Unquoted identifiers fold to upper case, as Snowflake does; `"quoted"` ones keep their case. */
const identifier = (value: string | null | undefined): string | null => {
  if (value === null || value === undefined || value === "") return null
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value.toUpperCase()
}

const parameterMap = (value: unknown): Map<string, ParameterValue> => {
  const map = new Map<string, ParameterValue>()
  if (typeof value === "object" && value !== null) {
    for (const [name, raw] of Object.entries(value)) {
      const v = fromJson(raw)
      if (v !== undefined) map.set(name.toUpperCase(), v)
    }
  }
  return map
}

const login = (ctx: ServerContext, request: EmulatorRequest) =>
  Effect.gen(function* () {
    const body = jsonBody(request)
    const data = (typeof body.data === "object" && body.data !== null ? body.data : {}) as LoginData &
      Record<string, unknown>
    const now = yield* Clock.currentTimeMillis
    const auth = yield* Effect.either(authenticate(ctx.options.users, data, now))
    if (auth._tag === "Left") return envelopeReply(fail(auth.left.code, auth.left.message, auth.left.data))
    const { name, user } = auth.right
    const q = request.query
    const context: SessionContext = {
      database: identifier(q.get("databaseName") ?? user?.defaultDatabase),
      schema: identifier(q.get("schemaName") ?? user?.defaultSchema),
      warehouse: identifier(q.get("warehouse") ?? user?.defaultWarehouse),
      role: identifier(q.get("roleName") ?? user?.defaultRole),
      user: name.toUpperCase()
    }
    const opened = yield* Effect.either(
      ctx.sessions.open(name.toUpperCase(), context, parameterMap(data.SESSION_PARAMETERS))
    )
    if (opened._tag === "Left") return envelopeReply(fail(opened.left.code, opened.left.message))
    const session = opened.right
    yield* Scope.addFinalizer(
      session.scope,
      Effect.sync(() => ctx.chunks.dropSession(session.id))
    )
    const info = yield* session.engine.context
    return envelopeReply(
      ok({
        token: session.token,
        validityInSeconds: ctx.options.sessionValiditySeconds,
        masterToken: session.masterToken,
        masterValidityInSeconds: ctx.options.masterValiditySeconds,
        sessionId: session.id,
        sessionInfo: {
          databaseName: info.database,
          schemaName: info.schema,
          warehouseName: info.warehouse,
          roleName: info.role
        },
        parameters: responseParameters(session.parameters),
        displayUserName: session.user,
        serverVersion: "9.0.0-emulator",
        firstLogin: false,
        remMeToken: null,
        remMeValidityInSeconds: 0,
        healthCheckInterval: 45,
        newClientForUpgrade: null,
        idToken: null,
        idTokenValidityInSeconds: 0,
        mfaToken: null,
        mfaTokenValidityInSeconds: 0,
        responseData: null
      })
    )
  })

const renew = (ctx: ServerContext, request: EmulatorRequest) =>
  ctx.sessions.renew(header(request, "authorization")).pipe(
    Effect.match({
      onFailure: (failure) => envelopeReply(failure.envelope, failure.status),
      onSuccess: (session) =>
        envelopeReply(
          ok({
            sessionToken: session.token,
            validityInSecondsST: ctx.options.sessionValiditySeconds,
            masterToken: session.masterToken,
            validityInSecondsMT: ctx.options.masterValiditySeconds,
            masterValidityInSeconds: ctx.options.masterValiditySeconds,
            sessionId: session.id
          })
        )
    })
  )

const bindingsOf = (value: unknown): Bindings | undefined => {
  if (typeof value !== "object" || value === null) return undefined
  const out: Record<string, Binding> = {}
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (typeof raw !== "object" || raw === null) continue
    const b = raw as { type?: unknown; value?: unknown }
    const v = b.value
    out[key] = {
      type: typeof b.type === "string" ? b.type : "TEXT",
      value:
        v === null || v === undefined
          ? null
          : Array.isArray(v)
            ? v.map((x) => (x === null || x === undefined ? null : String(x)))
            : String(v)
    }
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** Answers with the query's final envelope, or 333333 after the long-poll hold. */
const awaitAnswer = (ctx: ServerContext, record: QueryRecord) =>
  Effect.map(ctx.queries.awaitOutcome(record, ctx.options.longPollSeconds), (outcome) =>
    envelopeReply(Option.getOrElse(outcome, () => inProgress(record.id, false)))
  )

const query = (ctx: ServerContext, request: EmulatorRequest) =>
  authorized(ctx, request, (session) =>
    Effect.gen(function* () {
      const body = jsonBody(request)
      const requestId = request.query.get("requestId") ?? undefined
      if (typeof body.sqlText !== "string") {
        return envelopeReply(
          fail("000900", "SQL compilation error:\nEmpty SQL statement.", { sqlState: "42000" })
        )
      }
      const record = yield* ctx.execution.submit(session, {
        sqlText: body.sqlText,
        requestId,
        bindings: bindingsOf(body.bindings),
        // snowflake-sdk's stage binding: the binds are CSV files under this stage path (§5.2)
        bindStage: typeof body.bindStage === "string" && body.bindStage !== "" ? body.bindStage : undefined,
        describeOnly: body.describeOnly === true,
        parameters: parameterMap(body.parameters)
      })
      if (body.asyncExec === true) return envelopeReply(inProgress(record.id, true))
      return yield* awaitAnswer(ctx, record)
    })
  )

const unknownQuery = (id: string): Reply =>
  isQueryId(id)
    ? envelopeReply(
        fail("000709", `Statement ${id} not found`, { sqlState: "02000", queryId: id, errorCode: "000709" })
      )
    : textReply(`"${id}" is not a UUID.`, 400)

const result = (ctx: ServerContext, request: EmulatorRequest, queryId: string) =>
  authorized(ctx, request, () => {
    const record = ctx.queries.get(queryId)
    return record === undefined ? Effect.succeed(unknownQuery(queryId)) : awaitAnswer(ctx, record)
  })

const monitoring = (ctx: ServerContext, request: EmulatorRequest, queryId: string) =>
  authorized(ctx, request, () =>
    Effect.sync(() => {
      const record = ctx.queries.get(queryId)
      return envelopeReply(ok({ queries: record === undefined ? [] : [monitoringEntry(record)] }))
    })
  )

const notExecuting = (queryId: string | null) =>
  fail("000605", "Identified SQL statement is not currently executing.", {
    errorCode: "000605",
    sqlState: "01000",
    queryId,
    internalError: false,
    age: 0
  })

const abort = (ctx: ServerContext, request: EmulatorRequest, queryId: string | undefined) =>
  authorized(ctx, request, (session) =>
    Effect.gen(function* () {
      let id = queryId
      if (id === undefined) {
        const requestId = jsonBody(request).requestId
        id = typeof requestId === "string" ? session.requests.get(requestId) : undefined
      }
      const record = id === undefined ? undefined : ctx.queries.get(id)
      if (record === undefined || !isRunning(record.status)) return envelopeReply(notExecuting(id ?? null))
      const aborted = yield* ctx.execution.abort(record)
      return envelopeReply(aborted ? ok() : notExecuting(record.id))
    })
  )

const chunk = (ctx: ServerContext, request: EmulatorRequest, queryId: string, index: number): Reply => {
  const found = ctx.chunks.get(queryId, index, header(request, chunkKeyHeader))
  switch (found._tag) {
    case "Found":
      return {
        status: 200,
        headers: { "content-type": "binary/octet-stream", "content-encoding": "gzip" },
        body: found.body
      }
    case "Forbidden":
      return textReply(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
        403,
        "application/xml"
      )
    case "NotFound":
      return textReply(
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
        404,
        "application/xml"
      )
  }
}

/** Test-only admin endpoint: POST a rule, DELETE to clear, GET to list what is still armed. */
const admin = (ctx: ServerContext, request: EmulatorRequest) =>
  Effect.gen(function* () {
    if (request.method === "DELETE") {
      yield* ctx.faults.clear
      return jsonReply({ ok: true })
    }
    if (request.method === "GET") return jsonReply({ ok: true, rules: yield* ctx.faults.pending })
    const rule = ruleFromJson(jsonBody(request))
    if (rule === undefined) return jsonReply({ ok: false, message: "invalid fault rule" }, 400)
    yield* ctx.faults.inject(rule)
    return jsonReply({ ok: true })
  })

export const handle = (ctx: ServerContext, route: Route, request: EmulatorRequest): Effect.Effect<Reply> => {
  switch (route.name) {
    case "login":
      return login(ctx, request)
    case "renew":
      return renew(ctx, request)
    case "heartbeat":
      return authorized(ctx, request, () => Effect.succeed(envelopeReply(ok())))
    case "logout":
      return authorized(ctx, request, (session) =>
        Effect.as(ctx.sessions.close(session), envelopeReply(ok()))
      )
    case "telemetry":
      return Effect.succeed(envelopeReply(ok()))
    case "query":
      return query(ctx, request)
    case "result":
      return result(ctx, request, route.queryId)
    case "monitoring":
      return monitoring(ctx, request, route.queryId)
    case "abort":
      return abort(ctx, request, route.queryId)
    case "chunk":
      return Effect.sync(() => chunk(ctx, request, route.queryId, route.index))
    case "admin":
      return admin(ctx, request)
    case "notFound":
      return Effect.succeed(envelopeReply(fail("404", `No route for ${request.method} ${request.path}`), 404))
  }
}
