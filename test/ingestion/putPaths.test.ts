/**
 * The two PUT paths end to end on the emulator's GCS stage (encrypted): a regular file uploaded
 * as it is goes digest pass → read + encrypt → upload, a stream (which cannot be read twice) is
 * spooled. Both must store the same bytes under the same metadata rules.
 */
import { createHash, randomBytes } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
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
