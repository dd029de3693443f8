import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"

/** Starts `effect-snowflake emulator …` as its own process (from the sources) and yields its first stdout lines. */
const startCli = (args: ReadonlyArray<string>, count = 1) =>
  Effect.acquireRelease(
    Effect.sync(() =>
      spawn(join("node_modules", ".bin", "vite-node"), ["src/cli/main.ts", "emulator", ...args], {
        stdio: ["ignore", "pipe", "inherit"]
      })
    ),
    (child) => Effect.sync(() => child.kill("SIGINT"))
  ).pipe(
    Effect.flatMap((child) =>
      Effect.async<ReadonlyArray<string>, Error>((resume) => {
        const lines = createInterface({ input: child.stdout! })
        const seen: Array<string> = []
        lines.on("line", (line) => {
          seen.push(line)
          if (seen.length === count) resume(Effect.succeed(seen))
        })
        child.once("exit", (code) => resume(Effect.fail(new Error(`emulator exited with ${code}`))))
      })
    )
  )

const login = (url: string, user: string, password: string) =>
  Effect.promise(() =>
    fetch(`${url}/session/v1/login-request`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data: { LOGIN_NAME: user, PASSWORD: password } })
    }).then((res) => res.json() as Promise<{ success: boolean; code: string | null }>)
  )

describe("effect-snowflake emulator (the command)", () => {
  it.scopedLive("prints one line with its URL and serves logins for the users of --users", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "sf-cli-"))
      const usersFile = join(dir, "users.json")
      writeFileSync(usersFile, JSON.stringify([{ name: "ADA", password: "lovelace" }]))
      const [line = ""] = yield* startCli(["--port", "0", "--users", usersFile])
      const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line)
      assert.isNotNull(match, line)
      const url = match![1]!
      assert.isTrue((yield* login(url, "ADA", "lovelace")).success)
      const refused = yield* login(url, "ADA", "babbage")
      assert.isFalse(refused.success)
      assert.strictEqual(refused.code, "390100")
    })
  )

  it.scopedLive(
    "with --storage s3, writes the storage certificate to a file and prints its path",
    () =>
      Effect.gen(function* () {
        const [listening = "", certificate = "", hint = ""] = yield* startCli(
          ["--port", "0", "--storage", "s3"],
          3
        )
        assert.match(listening, /^listening on http:\/\/127\.0\.0\.1:\d+$/)
        const path = /self-signed certificate: (.+)$/.exec(certificate)?.[1]
        assert.isDefined(path, certificate)
        assert.include(readFileSync(path!, "utf8"), "-----BEGIN CERTIFICATE-----")
        assert.strictEqual(hint.trim(), `trust it with SNOWFLAKE_STORAGE_CA_CERTIFICATE_PATH=${path}`)
      }),
    60_000
  )
})
