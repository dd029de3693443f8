import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import type * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { demo } from "../../src/cli/demoCommand.js"

describe("demo command", () => {
  it.live("runs the tour against an in-process emulator and prints the rows", () =>
    Effect.gen(function* () {
      const printed: Array<string> = []
      const current = yield* Effect.console
      const console: Console.Console = {
        ...current,
        log: (...args: ReadonlyArray<unknown>) =>
          Effect.sync(() => void printed.push(args.map(String).join(" ")))
      } as Console.Console
      yield* demo.pipe(
        Effect.withConsole(console),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      const output = printed.join("\n")
      assert.include(output, "ada")
      assert.include(output, "grace")
      assert.include(output, "20.25")
      assert.include(output, "2 rows")
      assert.include(output, "bulkInsert: 10000 of 10000 records loaded (1 file, 0 rejected)")
      assert.match(output, /\| linus +\| 3333 +\|/)
    })
  )
})
