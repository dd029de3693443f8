/**
 * Conformance for stages: the official snowflake-sdk PUTs a file to an emulator stage (GCS
 * endpoint with client-side encryption, and LOCAL_FS), LIST shows it, COPY INTO loads it, and
 * GET downloads it back byte-identical to what was uploaded.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { gunzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Emulator } from "../../src/emulator/index.js"
import { connect, execute } from "./sdk.js"

const CSV = "id,name\n1,alice\n2,bob\n3,carol\n"

const tempDir = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(nodePath.join(os.tmpdir(), "effect-sf-conf-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

for (const storage of ["gcs", "local"] as const) {
  describe(`snowflake-sdk stages on ${storage}`, () => {
    it.scopedLive("PUT, LIST, COPY INTO, second PUT, GET round trip", () =>
      Effect.gen(function* () {
        const emulator = yield* Emulator.start({ storage })
        const connection = yield* connect(emulator.url)
        const dir = yield* tempDir
        const source = nodePath.join(dir, "people.csv")
        yield* Effect.promise(() => fs.writeFile(source, CSV))
        yield* execute(connection, "CREATE TABLE people (id NUMBER, name VARCHAR)")
        yield* execute(connection, "CREATE STAGE landing")

        const put = yield* execute(connection, `PUT file://${source} @landing/in`)
        assert.strictEqual(put.rows.length, 1)
        assert.strictEqual(put.rows[0]!.source, "people.csv")
        assert.strictEqual(put.rows[0]!.target, "people.csv.gz")
        assert.strictEqual(put.rows[0]!.status, "UPLOADED")
        assert.strictEqual(put.rows[0]!.targetCompression, "GZIP")

        const listed = yield* execute(connection, "LIST @landing")
        assert.strictEqual(listed.rows.length, 1)
        assert.strictEqual(listed.rows[0]!.name, "landing/in/people.csv.gz")
        // GCS objects are stored encrypted (AES-CBC pads to 16 bytes); LOCAL_FS as the gzip itself
        const size = Number(listed.rows[0]!.size)
        if (storage === "gcs") assert.strictEqual(size % 16, 0)

        const copy = yield* execute(
          connection,
          "COPY INTO people FROM @landing FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)"
        )
        assert.strictEqual(copy.rows[0]!.status, "LOADED")
        assert.strictEqual(Number(copy.rows[0]!.rows_loaded), 3)
        const people = yield* execute(connection, "SELECT name FROM people ORDER BY id")
        assert.deepStrictEqual(
          people.rows.map((r) => r.NAME),
          ["alice", "bob", "carol"]
        )

        const again = yield* execute(connection, `PUT file://${source} @landing/in`)
        // GCS: HEAD finds the object and overwrite is false → SKIPPED; LOCAL_FS never checks (§16.10)
        assert.strictEqual(again.rows[0]!.status, storage === "gcs" ? "SKIPPED" : "UPLOADED")

        const out = nodePath.join(dir, "out")
        yield* Effect.promise(() => fs.mkdir(out))
        const got = yield* execute(connection, `GET @landing/in file://${out}/`)
        assert.strictEqual(got.rows.length, 1)
        assert.strictEqual(got.rows[0]!.file, "people.csv.gz")
        assert.strictEqual(got.rows[0]!.status, "DOWNLOADED")
        const downloaded = yield* Effect.promise(() => fs.readFile(nodePath.join(out, "people.csv.gz")))
        assert.strictEqual(gunzipSync(downloaded).toString("utf8"), CSV)

        const removed = yield* execute(connection, "REMOVE @landing/in")
        assert.deepStrictEqual(removed.rows, [{ name: "landing/in/people.csv.gz", result: "removed" }])
      })
    )
  })
}
