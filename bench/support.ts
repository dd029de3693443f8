/**
 * How every benchmark connects: effect-snowflake as the BENCH user against an emulator that has
 * that user (one pooled session unless told otherwise), so each bench measures the same setup.
 */
import { Context, Effect, Layer, Redacted } from "effect"
import { Emulator, type EmulatorOptions } from "../src/emulator/index.js"
import { Snowflake } from "../src/index.js"
import { PASSWORD, USER } from "./shared.js"

/** Our client on the emulator at `url`. */
export const benchClient = (url: string, options: Partial<Snowflake.SnowflakeOptions> = {}) =>
  Snowflake.layer({
    account: "emulator",
    user: USER,
    auth: { type: "password", password: Redacted.make(PASSWORD) },
    accessUrl: url,
    pool: { min: 1, max: 1 },
    ...options
  })

/** An emulator with the bench user, and a client on it, both living as long as the scope. */
export const benchEmulator = (options: EmulatorOptions = {}) =>
  Effect.gen(function* () {
    const emulator = yield* Emulator.start({ users: [{ name: USER, password: PASSWORD }], ...options })
    // Built in this scope (Effect.provide would close the pool right away).
    const context = yield* Layer.build(benchClient(emulator.url))
    return { emulator, sf: Context.get(context, Snowflake.Client), context }
  })
