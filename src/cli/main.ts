/**
 * The `effect-snowflake` command: `emulator` serves a local Snowflake, `demo` runs the tour of the
 * client (against the embedded emulator unless SNOWFLAKE_ACCOUNT is set).
 *
 * Test suites launch the emulator once per run or per file, so its start is on every user's path:
 * this entry loads only what the command needs, when it needs it. The demo (the whole client) is
 * imported only for `demo`, and the runtime comes from `@effect/platform-node/NodeRuntime` alone —
 * the package's index loads all of @effect/platform-node (HTTP, sockets, workers…), most of a
 * second.
 */
import { setFlagsFromString } from "node:v8"
import { runMain } from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { usage as emulatorUsage } from "./emulatorUsage.js"

// The translator (polyglot) is 22 MB of WebAssembly. V8 compiles it with its baseline compiler,
// then keeps recompiling hot functions with its optimising one on background threads: 1–2 CPU
// seconds right after "listening", which made the first statements slow on a busy machine, and
// did not even pay off (measured: ~0.8 ms per distinct statement translated with baseline code
// only against 5–8 ms while the optimiser churns). So baseline code only, set before the
// emulator's modules load (they compile the module on import).
setFlagsFromString("--liftoff-only")

const usage = `usage: effect-snowflake <command>
  ${emulatorUsage}
  demo    run the client tour (embedded emulator unless SNOWFLAKE_ACCOUNT is set)`

const fail = (message: string) =>
  Effect.zipRight(
    Console.error(message),
    Effect.sync(() => {
      process.exitCode = 2
    })
  )

const [command, ...args] = process.argv.slice(2)

const program = (() => {
  switch (command) {
    case "emulator":
      return Effect.promise(() => import("./emulatorCommand.js")).pipe(
        Effect.flatMap(({ emulatorCommand }) => emulatorCommand(args)),
        Effect.catchAll((e) => fail(e.message))
      )
    case "demo":
      return Effect.promise(() => import("./demoCommand.js")).pipe(
        Effect.flatMap(({ demo }) => demo),
        Effect.catchAll((e) => fail(`demo failed: ${e.message}`))
      )
    default:
      return fail(usage)
  }
})()

runMain(program)
