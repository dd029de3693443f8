/**
 * A fault-injecting HTTP proxy on loopback, for the faults the emulator cannot make itself: a
 * status with any body (bare 401, 390111 envelopes), a Retry-After of any size, a request held
 * until the proxy closes, and a record of every request (method, path, body, order) so a test can
 * count retries and read login bodies.
 *
 * Rules match the URL path (a string is an exact path, a RegExp tests the path) and are consulted
 * in the order they were added; each is used up after `times` matches. Unmatched requests are
 * forwarded to the emulator. JSON answers have the emulator's origin rewritten to the proxy's, so
 * chunk URLs in a result come back through the proxy too.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as Effect from "effect/Effect"

export type ProxyAction =
  /** Answer this status (and body) without forwarding. */
  | {
      readonly _tag: "status"
      readonly status: number
      readonly retryAfter?: string
      readonly body?: string
      /** A Location header (a 307/308), resolved against the request's URL on the proxy. */
      readonly location?: string
    }
  /** Never answer; the connection is destroyed when the proxy closes. */
  | { readonly _tag: "hold" }
  /** Destroy the connection without answering; the request is not forwarded. */
  | { readonly _tag: "drop" }
  /** Forward, then send half of the answer (announcing all of it) and cut the connection. */
  | { readonly _tag: "cutBody" }

export interface ProxyRule {
  readonly path: string | RegExp
  readonly method?: string
  /** How many matching requests the rule affects; defaults to 1 (Infinity for every one). */
  readonly times?: number
  readonly action: ProxyAction
}

export interface RecordedRequest {
  /** 0-based arrival order across all paths. */
  readonly seq: number
  readonly method: string
  readonly path: string
  /** The query string's parameters (requestId, retryCount, …). */
  readonly query: URLSearchParams
  /** The Authorization header (`Snowflake Token="…"`), when sent. */
  readonly authorization: string | undefined
  readonly body: string
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT` — give it to the client as `accessUrl`. */
  readonly url: string
  readonly rule: (rule: ProxyRule) => Effect.Effect<void>
  readonly requests: () => ReadonlyArray<RecordedRequest>
  /** Requests whose path matches `path` (same matching as rules). */
  readonly requestsTo: (path: string | RegExp, method?: string) => ReadonlyArray<RecordedRequest>
}

interface ArmedRule {
  readonly rule: ProxyRule
  remaining: number
}

const matches = (path: string | RegExp, method: string | undefined, req: RecordedRequest) =>
  (method === undefined || method === req.method) &&
  (typeof path === "string" ? req.path === path : path.test(req.path))

const readBody = (stream: http.IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const parts: Array<Buffer> = []
    stream.on("data", (part: Buffer) => parts.push(part))
    stream.on("end", () => resolve(Buffer.concat(parts)))
    stream.on("error", reject)
  })

/** Starts a proxy in front of `upstream` (the emulator's url); it stops when the scope closes. */
export const start = (upstream: string) =>
  Effect.acquireRelease(
    Effect.async<{ proxy: FaultProxy; server: http.Server }>((resume) => {
      const target = new URL(upstream)
      const armed: Array<ArmedRule> = []
      const recorded: Array<RecordedRequest> = []
      let origin = ""

      const take = (req: RecordedRequest): ProxyAction | undefined => {
        const index = armed.findIndex((a) => matches(a.rule.path, a.rule.method, req))
        if (index < 0) return undefined
        const hit = armed[index]!
        hit.remaining -= 1
        if (hit.remaining <= 0) armed.splice(index, 1)
        return hit.rule.action
      }

      const forward = (req: http.IncomingMessage, body: Buffer) =>
        new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
          (resolve, reject) => {
            const headers = { ...req.headers, host: target.host }
            // Plain bodies, so JSON answers can be rewritten.
            delete headers["accept-encoding"]
            const out = http.request(
              { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
              (res) =>
                readBody(res).then(
                  (b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }),
                  reject
                )
            )
            out.on("error", reject)
            out.end(body)
          }
        )

      const server = http.createServer((req, res) => {
        readBody(req).then(async (body) => {
          const url = new URL(req.url ?? "/", "http://proxy")
          const entry: RecordedRequest = {
            seq: recorded.length,
            method: req.method ?? "GET",
            path: url.pathname,
            query: url.searchParams,
            authorization: req.headers.authorization,
            body: body.toString("utf8")
          }
          recorded.push(entry)
          const action = take(entry)
          if (action?._tag === "hold") return
          if (action?._tag === "drop") {
            req.socket.destroy()
            return
          }
          if (action?._tag === "status") {
            res.writeHead(action.status, {
              "content-type": "application/json",
              ...(action.retryAfter === undefined ? {} : { "retry-after": action.retryAfter }),
              ...(action.location === undefined ? {} : { location: action.location })
            })
            res.end(action.body ?? "")
            return
          }
          const answer = await forward(req, body).catch(() => undefined)
          if (answer === undefined) {
            req.socket.destroy()
            return
          }
          const isJson = String(answer.headers["content-type"] ?? "").includes("json")
          const plain = answer.headers["content-encoding"] === undefined
          const payload =
            isJson && plain
              ? Buffer.from(answer.body.toString("utf8").split(target.origin).join(origin), "utf8")
              : answer.body
          const headers = { ...answer.headers, "content-length": String(payload.length) }
          delete headers["transfer-encoding"]
          res.writeHead(answer.status, headers)
          if (action?._tag === "cutBody") {
            res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy())
            return
          }
          res.end(payload)
        })
      })

      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as AddressInfo).port
        origin = `http://127.0.0.1:${port}`
        const proxy: FaultProxy = {
          url: origin,
          rule: (rule) =>
            Effect.sync(() => {
              armed.push({ rule, remaining: Math.max(1, rule.times ?? 1) })
            }),
          requests: () => [...recorded],
          requestsTo: (path, method) => recorded.filter((r) => matches(path, method, r))
        }
        resume(Effect.succeed({ proxy, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ proxy }) => proxy))
