import { inspect } from "node:util"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { scanRecordedErrors } from "../support/secretScan.js"
import { passwords, registerSecret } from "../support/secrets.js"

class CarriesBody extends Data.TaggedError("CarriesBody")<{ readonly cause: unknown }> {}

describe("the secret scan", () => {
  it.effect("finds a secret that only util.inspect or JSON shows (a cause's body), names the error", () =>
    Effect.sync(() => {
      scanRecordedErrors()
      const leaky = new CarriesBody({ cause: { body: `{"PASSWORD":"${passwords.alice}"}` } })
      assert.notInclude(String(leaky), passwords.alice)
      assert.include(inspect(leaky, { depth: null }), passwords.alice)
      const leaks = scanRecordedErrors()
      assert.strictEqual(leaks.length, 1)
      assert.include(leaks[0]!, "CarriesBody")
      assert.include(leaks[0]!, "password alice")
      assert.notInclude(leaks[0]!, passwords.alice, "the report names the secret, not its value")
    })
  )

  it.effect("finds secrets by shape and registered ones; clean errors pass", () =>
    Effect.sync(() => {
      scanRecordedErrors()
      new CarriesBody({ cause: "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJBQ0NULlVTRVIifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ" })
      registerSecret("a test's token", "learnt-at-run-time-123")
      new Error("learnt-at-run-time-123")
      new CarriesBody({ cause: { body: "nothing secret" } })
      const leaks = scanRecordedErrors()
      assert.strictEqual(leaks.length, 2)
      assert.include(leaks[0]!, "a JWT")
      assert.include(leaks[1]!, "a test's token")
    })
  )

  it.effect("skips the HTTP library's own errors only as top-level errors: held as a cause, they fail", () =>
    Effect.sync(() => {
      scanRecordedErrors()
      const request = HttpClientRequest.post("http://127.0.0.1:1/session/v1/login-request").pipe(
        HttpClientRequest.setHeader("Authorization", `Snowflake Token="${passwords.alice}"`)
      )
      const raw = new HttpClientError.RequestError({ request, reason: "Transport" })
      assert.include(JSON.stringify(raw), passwords.alice, "the library's error renders the header in clear")
      assert.deepStrictEqual(scanRecordedErrors(), [], "dropped by the Transport, it reaches no caller")
      new CarriesBody({ cause: new HttpClientError.RequestError({ request, reason: "Transport" }) })
      const leaks = scanRecordedErrors()
      assert.strictEqual(leaks.length, 1)
      assert.include(leaks[0]!, "CarriesBody")
    })
  )
})
