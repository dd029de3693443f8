/**
 * The `effect-snowflake` command: `emulator` serves a local Snowflake, `demo` runs the tour of the
 * client (against the embedded emulator unless SNOWFLAKE_ACCOUNT is set).
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { demo } from "./demoCommand.js"
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
      return demo.pipe(Effect.catchAll((e) => fail(`demo failed: ${e.message}`)))
    default:
      return fail(usage)
  }
})()

NodeRuntime.runMain(program)
