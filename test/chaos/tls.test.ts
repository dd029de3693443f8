/**
 * Fault matrix — TLS: a server on 127.0.0.1 whose certificate the client does not trust (a
 * self-signed test-only pair, test/fixtures/tls). The handshake fails before any request is sent:
 * a final TlsError naming the host, no retries.
 *
 * Until the lead's issue 15 #4 change to Transport's fromHttpClientError lands, the secret scan fails
 * this case: the HttpClient's RequestError made for the failed login carries the password.
 */
import { readFileSync } from "node:fs"
import * as https from "node:https"
import type { AddressInfo } from "node:net"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { bounded, client } from "./support/harness.js"

const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), "utf8")

/** An HTTPS server on 127.0.0.1 with the untrusted certificate; counts the requests that got through. */
const untrustedServer = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly requests: () => number; readonly server: https.Server }>(
    (resume) => {
      let requests = 0
      const server = https.createServer(
        { key: fixture("key.pem"), cert: fixture("cert.pem") },
        (_req, res) => {
          requests++
          res.writeHead(500).end()
        }
      )
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ url: `https://127.0.0.1:${port}`, requests: () => requests, server }))
      })
    }
  ),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.close(() => resume(Effect.void))
    })
)

describe("fault matrix: TLS", () => {
  it.live(
    "untrusted certificate on login × execute → TlsError naming the host, no request gets through",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const server = yield* untrustedServer
          const { sf } = yield* client({ accessUrl: server.url })
          const error = yield* bounded(
            "execute against an untrusted certificate",
            Effect.flip(sf.execute("SELECT 1"))
          )
          assert.strictEqual(error._tag, "TlsError")
          assert.include(error.message, new URL(server.url).host)
          assert.strictEqual(server.requests(), 0)
        })
      )
  )
})
