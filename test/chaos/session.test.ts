/**
 * Fault matrix — session path: the server says a session is expired or gone, on a query-request of
 * a pooled session that is already logged in.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { bounded, client, emulatorAndProxy, failureEnvelope, paths, slowQuery } from "./support/harness.js"

/** An emulator, the proxy, and a one-session client that has logged in once. */
const loggedIn = Effect.gen(function* () {
  const { emulator, proxy } = yield* emulatorAndProxy()
  const { sf } = yield* client({ accessUrl: proxy.url })
  yield* bounded("the first execute", sf.execute("SELECT 1"))
  return { emulator, proxy, sf }
})

describe("fault matrix: session", () => {
  it.live("bare HTTP 401 on query × execute → renew (or re-login) and run the statement", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { proxy, sf } = yield* loggedIn
        yield* proxy.rule({ path: paths.query, action: { _tag: "status", status: 401, body: "" } })
        const result = yield* bounded("execute after a bare 401", sf.execute("SELECT 2 AS TWO"))
        assert.strictEqual(Number(result.rows[0]!.TWO), 2)
        const healed = proxy.requestsTo(paths.renew).length + proxy.requestsTo(paths.login).length - 1
        assert.isAtLeast(healed, 1, "a renewal or a new login after the 401")
      })
    )
  )

  const gone = [
    [
      "390111 in a 200 envelope",
      200,
      "390111",
      "Session no longer exists.  New login required to access the service."
    ],
    ["390104 with HTTP 401", 401, "390104", "User must login again to access the service."]
  ] as const

  for (const [name, status, code, message] of gone) {
    it.live(`${name} on query × execute → re-login and the statement re-run (it never started)`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { proxy, sf } = yield* loggedIn
          yield* proxy.rule({
            path: paths.query,
            action: { _tag: "status", status, body: failureEnvelope(code, message) }
          })
          const result = yield* bounded(`execute after ${code}`, sf.execute("SELECT 2 AS TWO"))
          assert.strictEqual(Number(result.rows[0]!.TWO), 2)
          assert.strictEqual(proxy.requestsTo(paths.login).length, 2, "a second login")
        })
      )
    )
  }

  it.live("390111 on the result poll of a started statement × execute → SessionClosed, never run twice", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { proxy, sf } = yield* loggedIn
        yield* proxy.rule({
          path: /^\/queries\/[^/]+\/result$/,
          action: {
            _tag: "status",
            status: 200,
            body: failureEnvelope(
              "390111",
              "Session no longer exists.  New login required to access the service."
            )
          }
        })
        const error = yield* bounded("execute whose poll meets 390111", Effect.flip(sf.execute(slowQuery)))
        assert.strictEqual(error._tag, "SessionClosed")
        const posted = proxy.requestsTo(paths.query).filter((r) => r.body.includes("GENERATOR"))
        assert.strictEqual(posted.length, 1, "the started statement is not posted again")
      })
    )
  )

  /** Logs the client's session out behind its back, as a server that ends a session does. */
  const endSessionOnServer = (emulatorUrl: string, authorization: string) =>
    Effect.promise(() =>
      fetch(`${emulatorUrl}${paths.logout}?delete=true`, { method: "POST", headers: { authorization } }).then(
        (r) => r.text()
      )
    )

  it.live("session ended by the server (390104) × execute, then another → both run on a fresh session", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { emulator, proxy, sf } = yield* loggedIn
        const authorization = proxy.requestsTo(paths.query)[0]!.authorization!
        yield* endSessionOnServer(emulator.url, authorization)
        const first = yield* bounded(
          "execute on the ended session",
          Effect.either(sf.execute("SELECT 2 AS TWO"))
        )
        const next = yield* bounded("the execute after it", Effect.either(sf.execute("SELECT 3 AS THREE")))
        assert.deepStrictEqual(
          [first, next].map((r) =>
            r._tag === "Left" ? r.left._tag : Number(Object.values(r.right.rows[0]!)[0])
          ),
          [2, 3]
        )
        assert.strictEqual(proxy.requestsTo(paths.login).length, 2, "one new login")
      })
    )
  )

  it.live("390112 (session token expired) × 8 concurrent executes → exactly one renewal, all succeed", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { emulator, proxy, sf } = yield* loggedIn
        yield* emulator.faults.inject({ route: "query", kind: { _tag: "expireSession" } })
        const results = yield* bounded(
          "8 concurrent executes over an expired token",
          Effect.forEach(
            Array.from({ length: 8 }, (_, i) => i),
            (i) => sf.execute(`SELECT ${i} AS N`),
            { concurrency: "unbounded" }
          )
        )
        assert.deepStrictEqual(
          results.map((r) => Number(r.rows[0]!.N)),
          Array.from({ length: 8 }, (_, i) => i)
        )
        assert.strictEqual(proxy.requestsTo(paths.renew).length, 1)
        assert.strictEqual(proxy.requestsTo(paths.login).length, 1, "renewed, not logged in again")
      })
    )
  )
})
