/**
 * The `effect-snowflake` command: `emulator` serves a local Snowflake, `demo` runs the tour of the
 * client (against the embedded emulator unless SNOWFLAKE_ACCOUNT is set).
 *
 * Test suites launch the emulator once per run or per file, so its start is on every user's path:
 * this entry loads only what the emulator needs. The demo (the whole client) is imported when
 * asked for, and the runtime comes from `@effect/platform-node/NodeRuntime` alone — the package's
 * index loads all of @effect/platform-node (HTTP, sockets, workers…), most of a second.
 */
import { runMain } from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { emulatorCommand, usage as emulatorUsage } from "./emulatorCommand.js"

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
      return emulatorCommand(args).pipe(Effect.catchAll((e) => fail(e.message)))
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
