/**
 * The `effect-snowflake` command. Subcommands: `emulator` (here); `demo` and others are added by
 * their owners.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { emulatorCommand, usage as emulatorUsage } from "./emulatorCommand.js"

const [command, ...args] = process.argv.slice(2)

const program = (() => {
  switch (command) {
    case "emulator":
      return emulatorCommand(args).pipe(
        Effect.catchAll((e) =>
          Effect.zipRight(
            Console.error(e.message),
            Effect.sync(() => process.exit(2))
          )
        )
      )
    default:
      return Effect.zipRight(
        Console.error(`usage: effect-snowflake <command>\n  ${emulatorUsage}`),
        Effect.sync(() => process.exit(2))
      )
  }
})()

NodeRuntime.runMain(program)
