/**
 * The emulator's HTTP server: node:http for full control of the socket (fault injection drops
 * and truncates connections, chunk bodies go out as prebuilt buffers), with every request handled
 * as an Effect in a FiberSet tied to the server's scope.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { pipeline } from "node:stream"
import { promisify } from "node:util"
import { gunzip } from "node:zlib"
import { Data, Effect, FiberSet, Schedule, type Scope } from "effect"
import type { Engine } from "../engine/Engine.js"
import { makeChunks } from "./chunks.js"
import { fail } from "./envelope.js"
import { makeExecution } from "./execution.js"
import { type FaultKind, type Faults, makeFaults } from "./faults.js"
import { handle, type ServerContext } from "./handlers.js"
import {
  type EmulatorRequest,
  envelopeReply,
  type FileReply,
  header,
  type Reply,
  type StorageReply,
  type StorageRequest
} from "./http.js"
import { type EmulatorOptions, resolveOptions } from "./options.js"
import { makeQueries, type QueryHistoryEntry } from "./queries.js"
import { classify, faultRouteOf } from "./routes.js"
import { makeSessions } from "./sessions.js"

const gunzipAsync = promisify(gunzip)

/** Read size for file replies (object downloads). */
const FILE_CHUNK = 1024 * 1024

export class EmulatorStartError extends Data.TaggedError("EmulatorStartError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

export interface RunningServer {
  readonly url: string
  readonly port: number
  readonly faults: Faults
  /** Every query the emulator has run (INFORMATION_SCHEMA.QUERY_HISTORY will read this). */
  readonly history: () => ReadonlyArray<QueryHistoryEntry>
}

const readRequest = (req: IncomingMessage, url: URL): Effect.Effect<EmulatorRequest> =>
  Effect.gen(function* () {
    const raw = yield* Effect.async<Buffer>((resume) => {
      const parts: Array<Buffer> = []
      req.on("data", (part: Buffer) => parts.push(part))
      req.on("end", () => resume(Effect.succeed(Buffer.concat(parts))))
      req.on("error", () => resume(Effect.succeed(Buffer.concat(parts))))
    })
    const gzipped = (req.headers["content-encoding"] ?? "").toLowerCase().includes("gzip") && raw.length > 0
    const body = gzipped
      ? yield* Effect.promise(() => gunzipAsync(raw)).pipe(Effect.orElseSucceed(() => raw))
      : raw
    return {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body
    }
  })

const send = (res: ServerResponse, reply: Reply) =>
  Effect.sync(() => {
    if (res.destroyed) return
    res.writeHead(reply.status, { ...reply.headers, "content-length": String(reply.body.length) })
    res.end(reply.body)
  })

/** Streams a file reply from its open handle (closed when done); a read failure cuts the connection. */
const sendFile = (res: ServerResponse, reply: FileReply) =>
  Effect.async<void>((resume) => {
    const file = reply.file
    if (res.destroyed) {
      void file?.close().catch(() => undefined)
      return resume(Effect.void)
    }
    res.writeHead(reply.status, { ...reply.headers, "content-length": String(reply.size) })
    if (file === undefined) {
      res.end()
      return resume(Effect.void)
    }
    // Large reads: a 200 MB object goes out in 1 MiB writes instead of 64 KiB ones.
    const body = file.createReadStream({ highWaterMark: FILE_CHUNK, autoClose: true })
    pipeline(body, res, () => resume(Effect.void))
    return Effect.sync(() => body.destroy())
  })

const sendStorage = (res: ServerResponse, reply: StorageReply) =>
  "body" in reply ? send(res, reply) : sendFile(res, reply)

/** Sends half of the body while announcing all of it, then cuts the connection. */
const sendTruncated = (res: ServerResponse, reply: Reply) =>
  Effect.sync(() => {
    if (res.destroyed) return
    res.writeHead(reply.status, { ...reply.headers, "content-length": String(reply.body.length) })
    res.write(reply.body.subarray(0, Math.floor(reply.body.length / 2)), () => res.destroy())
  })

const drop = (res: ServerResponse) => Effect.sync(() => res.socket?.destroy())

const statusReply = (kind: Extract<FaultKind, { _tag: "status" }>): Reply => {
  const reply = envelopeReply(fail(String(kind.status), `Injected HTTP ${kind.status}`), kind.status)
  return kind.retryAfterSeconds === undefined
    ? reply
    : { ...reply, headers: { ...reply.headers, "retry-after": String(kind.retryAfterSeconds) } }
}

/** Extra HTTP surface beside the Snowflake routes: the stages' GCS endpoint. */
export interface ServerExtras {
  /**
   * Answers an object-storage request, or undefined to let the Snowflake routes have it. Asked
   * before the body is read, so that uploads stream to disk and downloads from it.
   */
  readonly storage?: (request: StorageRequest) => Effect.Effect<StorageReply> | undefined
}

const serveRequest = (ctx: ServerContext, extras: ServerExtras, req: IncomingMessage, res: ServerResponse) =>
  Effect.gen(function* () {
    const url = new URL(req.url ?? "/", "http://emulator")
    const storage = extras.storage?.({
      method: req.method ?? "GET",
      path: url.pathname,
      headers: req.headers,
      body: req
    })
    if (storage !== undefined) {
      // a storage handler that dies still answers: a client must never wait for a reply that never comes
      const guarded = storage.pipe(
        Effect.catchAllDefect((defect) =>
          Effect.as(Effect.logError("emulator storage request failed", defect), {
            status: 500,
            headers: { "content-type": "text/plain" },
            body: Buffer.from("Internal emulator error")
          })
        )
      )
      return yield* Effect.flatMap(guarded, (reply) => sendStorage(res, reply))
    }
    const request = yield* readRequest(req, url)
    const route = classify(request.method, request.path)
    const faultRoute = faultRouteOf(route)
    const fault = faultRoute === undefined ? undefined : yield* ctx.faults.take(faultRoute)
    const run = handle(ctx, route, request).pipe(
      Effect.catchAllDefect((defect) =>
        Effect.as(
          Effect.logError("emulator request failed", defect),
          envelopeReply(fail("000001", "Internal emulator error"), 500)
        )
      )
    )
    switch (fault?._tag) {
      case undefined:
        return yield* Effect.flatMap(run, (reply) => send(res, reply))
      case "status":
        return yield* send(res, statusReply(fault))
      case "drop":
        return yield* drop(res)
      case "delay":
        yield* Effect.sleep(`${fault.millis} millis`)
        return yield* Effect.flatMap(run, (reply) => send(res, reply))
      case "truncate":
        return yield* Effect.flatMap(run, (reply) => sendTruncated(res, reply))
      case "expireSession":
        yield* ctx.sessions.expireToken(header(request, "authorization"))
        return yield* Effect.flatMap(run, (reply) => send(res, reply))
      case "dropAfterExecute":
        return yield* Effect.zipRight(run, drop(res))
    }
  })

const listen = (server: Server, host: string, port: number) =>
  Effect.async<number, EmulatorStartError>((resume) => {
    const onError = (cause: unknown) =>
      resume(Effect.fail(new EmulatorStartError({ message: `cannot listen on ${host}:${port}`, cause })))
    server.once("error", onError)
    server.listen(port, host, () => {
      server.off("error", onError)
      resume(Effect.succeed((server.address() as AddressInfo).port))
    })
  })

const close = (server: Server) =>
  Effect.async<void>((resume) => {
    server.close(() => resume(Effect.void))
    server.closeAllConnections()
  })

/** Starts the emulator's HTTP server on `engine`; it stops when the scope closes. */
export const makeServer = (
  engine: Engine,
  options: EmulatorOptions = {},
  extras: ServerExtras = {}
): Effect.Effect<RunningServer, EmulatorStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const resolved = resolveOptions(options)
    const scope = yield* Effect.scope
    let baseUrl = ""
    const queries = makeQueries()
    const chunks = makeChunks()
    const faults = yield* makeFaults
    const sessions = makeSessions(engine, scope, {
      sessionSeconds: resolved.sessionValiditySeconds,
      masterSeconds: resolved.masterValiditySeconds
    })
    const execution = makeExecution(engine, queries, chunks, {
      chunkRows: resolved.chunkRows,
      inlineRows: resolved.inlineRows,
      baseUrl: () => baseUrl
    })
    const ctx: ServerContext = { options: resolved, engine, sessions, queries, execution, chunks, faults }

    // Finalizers run in reverse: the server stops, request fibers are interrupted, then sessions
    // (and their running queries and DuckDB connections) close.
    yield* Effect.addFinalizer(() => Effect.forEach(sessions.all(), sessions.close, { discard: true }))
    const runFork = yield* FiberSet.makeRuntime<never>()
    const server = createServer((req, res) => {
      runFork(serveRequest(ctx, extras, req, res))
    })
    server.keepAliveTimeout = 30_000
    const port = yield* Effect.acquireRelease(listen(server, resolved.host, resolved.port), () =>
      close(server)
    )
    const host = resolved.host === "0.0.0.0" || resolved.host === "::" ? "127.0.0.1" : resolved.host
    baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`
    yield* sessions.sweep.pipe(Effect.repeat(Schedule.spaced("30 seconds")), Effect.forkScoped)
    return { url: baseUrl, port, faults, history: queries.history }
  })
