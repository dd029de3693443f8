import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { Emulator, type EmulatorOptions } from "../../src/emulator/index.js"
import * as Snowflake from "../../src/layers/Snowflake.js"
import type { SnowflakeOptions } from "../../src/services/SnowflakeOptions.js"
import { passwords } from "../support/secrets.js"

export const USER = "ALICE"
export const PASSWORD = passwords.alice

export const emulatorOptions: EmulatorOptions = {
  users: [{ name: USER, password: PASSWORD }],
  longPollSeconds: 1
}

export const clientOptions = (url: string, overrides: Partial<SnowflakeOptions> = {}): SnowflakeOptions => ({
  account: "emulator",
  user: USER,
  auth: { type: "password", password: Redacted.make(PASSWORD) },
  accessUrl: url,
  retry: { baseDelay: Duration.millis(5), maxDelay: Duration.millis(50), maxJitter: Duration.millis(5) },
  ...overrides
})

/** An emulator plus a client pointed at it, both scoped to the test. */
export const withClient = (
  overrides: Partial<SnowflakeOptions> = {},
  emulator: EmulatorOptions = emulatorOptions
) =>
  Effect.gen(function* () {
    const handle = yield* Emulator.start(emulator)
    const context = yield* Layer.build(Snowflake.layer(clientOptions(handle.url, overrides)))
    const sf = yield* Effect.provide(Snowflake.Client, context)
    return { emulator: handle, sf }
  })
