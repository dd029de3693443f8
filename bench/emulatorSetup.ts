/** The emulator every bench runs against: one with the bench user, and our client on it. */
import { Context, Effect, Layer } from "effect"
import { Emulator, type EmulatorOptions } from "../src/emulator/index.js"
import { Snowflake } from "../src/index.js"
import { PASSWORD, USER } from "./shared.js"
import { benchClient } from "./support.js"

/** An emulator with the bench user, and a client on it, both living as long as the scope. */
export const benchEmulator = (options: EmulatorOptions = {}) =>
  Effect.gen(function* () {
    const emulator = yield* Emulator.start({ users: [{ name: USER, password: PASSWORD }], ...options })
    // Built in this scope (Effect.provide would close the pool right away).
    const context = yield* Layer.build(benchClient(emulator.url))
    return { emulator, sf: Context.get(context, Snowflake.Client), context }
  })
