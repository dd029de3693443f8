/**
 * The two PUT paths end to end on the emulator's GCS stage (encrypted): a regular file uploaded
 * as it is goes digest pass → read + encrypt → upload, a stream (which cannot be read twice) is
 * spooled. Both must store the same bytes under the same metadata rules.
 */
import { execFileSync } from "node:child_process"
import { createHash, randomBytes } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as CopyInto from "../../src/sql/CopyInto.js"
import { withStages } from "./support.js"

const scratch = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "sf-put-paths-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("base64")

describe("PUT of a file as it is (gcs, encrypted)", () => {
  it.scopedLive("a regular file and a stream store the same bytes and digest", () =>
    Effect.gen(function* () {
      const { stages } = yield* withStages("gcs")
      const dir = yield* scratch
      // over three read chunks and not a multiple of the AES block
      const bytes = randomBytes(3 * 1024 * 1024 + 1234)
      writeFileSync(join(dir, "plain.bin"), bytes)
      const file = yield* stages.put(join(dir, "plain.bin"), "@~/paths", { autoCompress: false })
      assert.deepStrictEqual(
        file.map((r) => [r.target, r.status, r.sourceSize, r.targetSize, r.targetCompression]),
        [["plain.bin", "UPLOADED", bytes.length, bytes.length, null]]
      )

      const piped = yield* stages.put({ stream: Stream.make(bytes), name: "piped.bin" }, "@~/paths", {
        autoCompress: false
      })
      assert.deepStrictEqual(
        piped.map((r) => [r.target, r.status, r.sourceSize, r.targetSize]),
        [["piped.bin", "UPLOADED", bytes.length, bytes.length]]
      )

      const out = join(dir, "out")
      // GET checks each object's sfc-digest against the plaintext it decrypts
      const got = yield* stages.get("@~/paths", out)
      assert.deepStrictEqual(got.map((r) => [r.file, r.status, r.size]).sort(), [
        ["piped.bin", "DOWNLOADED", bytes.length],
        ["plain.bin", "DOWNLOADED", bytes.length]
      ])
      assert.strictEqual(sha256(readFileSync(join(out, "plain.bin"))), sha256(bytes))
      assert.strictEqual(sha256(readFileSync(join(out, "piped.bin"))), sha256(bytes))
      // the digest is of the plaintext, the stored object is the ciphertext with its padding
      const listed = yield* stages.list("@~/paths")
      assert.deepStrictEqual(
        listed.map((f) => f.size),
        [(Math.floor(bytes.length / 16) + 1) * 16, (Math.floor(bytes.length / 16) + 1) * 16]
      )
    })
  )
})

describe("PUT of a stream by its name (gcs, encrypted)", () => {
  it.scopedLive("spaces, quotes and non-ASCII letters are a name; a path, . or .. is a typed error", () =>
    Effect.gen(function* () {
      const { stages } = yield* withStages("gcs")
      const dir = yield* scratch
      const name = "f 1 'q' ünï.csv"
      const put = yield* stages.put(
        { stream: Stream.make(new TextEncoder().encode("1,x\n")), name },
        "@~/names",
        {
          autoCompress: false
        }
      )
      assert.deepStrictEqual(
        put.map((r) => [r.target, r.status]),
        [[name, "UPLOADED"]]
      )
      assert.deepStrictEqual(
        (yield* stages.list("@~/names")).map((f) => f.name),
        [`names/${name}`]
      )
      yield* stages.get("@~/names", dir)
      assert.strictEqual(readFileSync(join(dir, name), "utf8"), "1,x\n")
      for (const bad of ["a/b.csv", "a\\b.csv", ".", "..", "", "x\ny.csv"]) {
        const error = yield* Effect.flip(
          stages.put({ stream: Stream.make(new Uint8Array([1])), name: bad }, "@~/names")
        )
        assert.strictEqual(error._tag, "StageUploadError")
        assert.include(error.message, "Not a valid target file name", JSON.stringify(bad))
      }
    })
  )
})

describe("stage paths with spaces, quotes and non-ASCII letters (gcs, encrypted)", () => {
  it.scopedLive("PUT, LIST, COPY INTO, GET and REMOVE reach them (the reference goes quoted)", () =>
    Effect.gen(function* () {
      const { stages, ingestion, sf } = yield* withStages("gcs")
      const dir = yield* scratch
      yield* sf.execute("CREATE STAGE landing")
      yield* sf.execute("CREATE TABLE spaced (a NUMBER, b VARCHAR)")
      for (const path of ["@landing/a b/", "@landing/ünï/", "@landing/it's/"]) {
        const put = yield* stages.put(
          { stream: Stream.make(new TextEncoder().encode("1,x\n")), name: "f.csv" },
          path
        )
        assert.deepStrictEqual(
          put.map((r) => r.status),
          ["UPLOADED"],
          path
        )
      }
      assert.deepStrictEqual(
        (yield* stages.list("@landing")).map((f) => f.name),
        ["landing/a b/f.csv.gz", "landing/it's/f.csv.gz", "landing/ünï/f.csv.gz"]
      )
      assert.deepStrictEqual(
        (yield* stages.list("@landing/a b/")).map((f) => f.name),
        ["landing/a b/f.csv.gz"]
      )
      const copied = yield* ingestion.copyInto(CopyInto.table("spaced").pipe(CopyInto.from("@landing/a b/")))
      assert.strictEqual(copied.rowsLoaded, 1)
      const got = yield* stages.get("@landing/ünï/", dir)
      assert.deepStrictEqual(
        got.map((r) => [r.file, r.status]),
        [["f.csv.gz", "DOWNLOADED"]]
      )
      yield* stages.remove("@landing/it's/")
      assert.deepStrictEqual(
        (yield* stages.list("@landing")).map((f) => f.name),
        ["landing/a b/f.csv.gz", "landing/ünï/f.csv.gz"]
      )
    })
  )
})

describe("PUT with auto-compression (gcs, encrypted)", () => {
  it.scopedLive("level 1 (default) and level 9 both gzip, 9 smaller; GET gives the same bytes back", () =>
    Effect.gen(function* () {
      const { stages } = yield* withStages("gcs")
      const dir = yield* scratch
      const text = Array.from(
        { length: 200_000 },
        (_, i) => `${i},name_${i % 977},${(i * 31) % 1000}\n`
      ).join("")
      const bytes = new TextEncoder().encode(text)
      const sizes: Array<number> = []
      for (const [name, level] of [
        ["fast.csv", undefined],
        ["small.csv", 9]
      ] as const) {
        const put = yield* stages.put({ stream: Stream.make(bytes), name }, "@~/levels", {
          compressionLevel: level
        })
        assert.deepStrictEqual(
          put.map((r) => [r.target, r.status, r.targetCompression]),
          [[`${name}.gz`, "UPLOADED", "GZIP"]]
        )
        sizes.push(put[0]?.targetSize ?? 0)
      }
      assert.isBelow(sizes[1] ?? 0, sizes[0] ?? 0, `level 9 ${sizes[1]} < level 1 ${sizes[0]}`)
      assert.isBelow(sizes[0] ?? 0, bytes.length / 2)
      const out = join(dir, "out")
      yield* stages.get("@~/levels", out)
      const { gunzipSync } = yield* Effect.promise(() => import("node:zlib"))
      for (const name of ["fast.csv.gz", "small.csv.gz"])
        assert.strictEqual(sha256(gunzipSync(readFileSync(join(out, name)))), sha256(bytes), name)
    })
  )

  it.scopedLive("a compression level outside 1–9 is a typed error naming it, nothing uploaded", () =>
    Effect.gen(function* () {
      const { stages } = yield* withStages("gcs")
      for (const level of [0, 10, 2.5]) {
        const error = yield* Effect.flip(
          stages.put({ stream: Stream.make(new Uint8Array([1])), name: "x.bin" }, "@~/bad-level", {
            compressionLevel: level
          })
        )
        assert.strictEqual(error._tag, "StageUploadError")
        assert.include(error.message, `compressionLevel must be an integer from 1 to 9, got ${level}`)
      }
      assert.deepStrictEqual(yield* stages.list("@~/bad-level"), [])
    })
  )
})

describe("PUT of a named pipe (gcs, encrypted)", () => {
  it.scopedLive("is read once, as a stream: spooled, uploaded, GET gives the bytes back", () =>
    Effect.gen(function* () {
      const { stages } = yield* withStages("gcs")
      const dir = yield* scratch
      const fifo = join(dir, "piped.csv")
      execFileSync("mkfifo", [fifo])
      const bytes = randomBytes(2 * 1024 * 1024 + 99)
      // the writer blocks until the PUT opens the pipe for reading
      const writer = writeFile(fifo, bytes)
      const put = yield* stages.put(fifo, "@~/fifo", { autoCompress: false })
      yield* Effect.promise(() => writer)
      assert.deepStrictEqual(
        put.map((r) => [r.target, r.status, r.sourceSize]),
        [["piped.csv", "UPLOADED", bytes.length]]
      )
      const out = join(dir, "out")
      yield* stages.get("@~/fifo", out)
      assert.strictEqual(sha256(readFileSync(join(out, "piped.csv"))), sha256(bytes))
    })
  )
})
