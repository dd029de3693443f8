import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { parseEmulatorArgs } from "../../src/cli/emulatorCommand.js"

describe("emulator command arguments", () => {
  it("defaults to port 8080 and no file", () => {
    assert.deepStrictEqual(
      parseEmulatorArgs([]),
      Either.right({
        port: 8080,
        dbPath: undefined,
        chunkRows: undefined,
        usersFile: undefined,
        storage: "local",
        stageDir: undefined
      })
    )
  })
  it("reads every flag", () => {
    assert.deepStrictEqual(
      parseEmulatorArgs([
        "--port",
        "0",
        "--db",
        "x.duckdb",
        "--chunk-rows",
        "500",
        "--users",
        "u.json",
        "--storage",
        "gcs",
        "--stage-dir",
        "/tmp/st"
      ]),
      Either.right({
        port: 0,
        dbPath: "x.duckdb",
        chunkRows: 500,
        usersFile: "u.json",
        storage: "gcs",
        stageDir: "/tmp/st"
      })
    )
  })
  it("rejects bad values and unknown flags", () => {
    assert.isTrue(Either.isLeft(parseEmulatorArgs(["--port", "abc"])))
    assert.isTrue(Either.isLeft(parseEmulatorArgs(["--chunk-rows", "0"])))
    assert.isTrue(Either.isLeft(parseEmulatorArgs(["--db"])))
    assert.isTrue(Either.isLeft(parseEmulatorArgs(["--verbose"])))
    assert.isTrue(Either.isLeft(parseEmulatorArgs(["--storage", "ftp"])))
    assert.isTrue(Either.isLeft(parseEmulatorArgs(["--stage-dir"])))
  })
})
