import { createHash, randomBytes } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { withStages } from "./support.js"

const scratch = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "sf-stage-test-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex")

for (const storage of ["local", "gcs", "s3", "azure"] as const) {
  describe(`Stages against the emulator (${storage})`, () => {
    it.scopedLive(
      "PUT (glob, compressed and not), LIST, GET: bytes identical; SKIPPED on repeat",
      () =>
        Effect.gen(function* () {
          const { stages, sf } = yield* withStages(storage)
          const dir = yield* scratch
          const csvText = "id,name\n1,alpha\n2,beta\n".repeat(200)
          writeFileSync(join(dir, "a.csv"), csvText)
          writeFileSync(join(dir, "b.csv"), "id,name\n3,gamma\n")
          const binary = randomBytes(70_000)
          writeFileSync(join(dir, "blob.bin.gz"), binary) // extension says gzip: uploaded as is
          yield* sf.execute("CREATE STAGE files")

          const put = yield* stages.put(join(dir, "*.csv"), "@files")
          assert.deepStrictEqual(
            put.map((r) => [r.source, r.target, r.status, r.targetCompression]),
            [
              ["a.csv", "a.csv.gz", "UPLOADED", "GZIP"],
              ["b.csv", "b.csv.gz", "UPLOADED", "GZIP"]
            ]
          )
          assert.strictEqual(put[0]!.sourceSize, csvText.length)
          const asIs = yield* stages.put(join(dir, "blob.bin.gz"), "@files", { overwrite: true })
          assert.deepStrictEqual(
            [asIs[0]!.target, asIs[0]!.sourceCompression, asIs[0]!.targetSize],
            ["blob.bin.gz", "GZIP", 70_000]
          )

          const again = yield* stages.put(join(dir, "a.csv"), "@files")
          // Like the drivers: SKIPPED needs a HEAD, which LOCAL_FS does not do.
          assert.strictEqual(again[0]!.status, storage === "local" ? "UPLOADED" : "SKIPPED")

          const listed = yield* stages.list("@files")
          assert.deepStrictEqual(listed.map((f) => f.name.split("/").pop()).sort(), [
            "a.csv.gz",
            "b.csv.gz",
            "blob.bin.gz"
          ])

          const out = join(dir, "out")
          const got = yield* stages.get("@files", out)
          assert.deepStrictEqual(got.map((r) => [r.file, r.status]).sort(), [
            ["a.csv.gz", "DOWNLOADED"],
            ["b.csv.gz", "DOWNLOADED"],
            ["blob.bin.gz", "DOWNLOADED"]
          ])
          assert.strictEqual(gunzipSync(readFileSync(join(out, "a.csv.gz"))).toString("utf8"), csvText)
          assert.strictEqual(md5(readFileSync(join(out, "blob.bin.gz"))), md5(binary))

          const pattern = yield* stages.get("@files", join(dir, "only-b"), { pattern: ".*b\\.csv.*" })
          assert.deepStrictEqual(
            pattern.map((r) => r.file),
            ["b.csv.gz"]
          )

          const removed = yield* stages.remove("@files", ".*\\.csv\\.gz")
          assert.strictEqual(removed.length, 2)
          assert.deepStrictEqual(
            (yield* stages.list("@files")).map((f) => f.name.split("/").pop()),
            ["blob.bin.gz"]
          )
        }),
      60_000
    )

    it.scopedLive(
      "PUT of a stream with a target name, COPY INTO, counts checked by SELECT",
      () =>
        Effect.gen(function* () {
          const { stages, ingestion, sf } = yield* withStages(storage)
          yield* sf.execute("CREATE TABLE t (id NUMBER, name VARCHAR)")
          const lines = Array.from({ length: 500 }, (_, i) => `${i},name-${i}\n`)
          const put = yield* stages.put(
            { stream: Stream.fromIterable(lines).pipe(Stream.encodeText), name: "rows.csv" },
            "@%t"
          )
          assert.strictEqual(put[0]!.status, "UPLOADED")
          const { CopyInto, FileFormat } = yield* Effect.promise(() => import("../../src/index.js"))
          const result = yield* ingestion.copyInto(
            CopyInto.table("t").pipe(CopyInto.from("@%t"), CopyInto.fileFormat(FileFormat.csv()))
          )
          assert.strictEqual(result.rowsLoaded, 500)
          assert.strictEqual(result.results[0]?.status, "LOADED")
          const count = yield* sf.execute("SELECT COUNT(*) AS n, SUM(id) AS s FROM t")
          assert.strictEqual(Number(count.rows[0]!.N), 500)
          assert.strictEqual(Number(count.rows[0]!.S), (499 * 500) / 2)
        }),
      60_000
    )
  })
}
