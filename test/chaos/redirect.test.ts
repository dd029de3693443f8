/**
 * Fault matrix — redirects: Snowflake answering 307/308. The request carries the session token (or
 * the login secret), so a redirect is followed on the same host only; another host is a typed error
 * naming both, and nothing is sent there.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { bounded, client, emulatorAndProxy, paths } from "./support/harness.js"

describe("fault matrix: redirects", () => {
  for (const status of [307, 308]) {
    it.live(`${status} to the same host on query × execute → followed, the statement runs once`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { emulator, proxy } = yield* emulatorAndProxy()
          const { sf } = yield* client({ accessUrl: proxy.url })
          yield* bounded("the first execute", sf.execute("SELECT 1"))
          yield* proxy.rule({ path: paths.query, action: { _tag: "status", status, location: paths.query } })
          const result = yield* bounded(`execute after a ${status}`, sf.execute("SELECT 7 AS SEVEN"))
          assert.strictEqual(Number(result.rows[0]!.SEVEN), 7)
          assert.strictEqual(
            proxy.requestsTo(paths.query).length,
            3,
            "the first execute, the redirected one, its target"
          )
          assert.strictEqual(emulator.history().filter((h) => h.sqlText === "SELECT 7 AS SEVEN").length, 1)
        })
      )
    )
  }

  it.live(
    "308 to another host on query × execute → a typed error naming both hosts, nothing sent there",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { proxy } = yield* emulatorAndProxy()
          const { sf } = yield* client({ accessUrl: proxy.url })
          yield* bounded("the first execute", sf.execute("SELECT 1"))
          const here = new URL(proxy.url)
          // Same listener, another host name: a request that followed the redirect would be recorded.
          const elsewhere = `http://localhost:${here.port}${paths.query}`
          yield* proxy.rule({
            path: paths.query,
            action: { _tag: "status", status: 308, location: elsewhere }
          })
          const error = yield* bounded(
            "execute redirected to another host",
            Effect.flip(sf.execute("SELECT 2"))
          )
          assert.strictEqual(error._tag, "ProtocolError")
          assert.include(error.message, here.host)
          assert.include(error.message, `localhost:${here.port}`)
          assert.strictEqual(
            proxy.requestsTo(paths.query).length,
            2,
            "the first execute and the redirected one only"
          )
        })
      )
  )
})
