/**
 * A real HTTP server on 127.0.0.1 for Transport tests: records every request and answers with
 * whatever the test's handler says. Scoped: closed when the test's scope ends.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Effect from "effect/Effect"

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

export interface Reply {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly body?: string | Uint8Array
  /** Destroy the socket instead of answering. */
  readonly drop?: boolean
  /** Never answer (until the server closes). */
  readonly hang?: boolean
}

export interface TestServer {
  readonly url: string
  readonly requests: Array<RecordedRequest>
}

export const envelope = (data: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ data, code: null, message: null, success: true, ...extra })

export const start = (handler: (request: RecordedRequest, index: number) => Reply) =>
  Effect.acquireRelease(
    Effect.async<{ server: Http.Server; state: TestServer }>((resume) => {
      const requests: Array<RecordedRequest> = []
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const url = new URL(req.url ?? "/", "http://127.0.0.1")
          const recorded: RecordedRequest = {
            method: req.method ?? "GET",
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8")
          }
          requests.push(recorded)
          const reply = handler(recorded, requests.length - 1)
          if (reply.hang) return
          if (reply.drop) {
            req.socket.destroy()
            return
          }
          res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers })
          res.end(reply.body ?? "")
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as AddressInfo).port
        resume(Effect.succeed({ server, state: { url: `http://127.0.0.1:${port}`, requests } }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))
