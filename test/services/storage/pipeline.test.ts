/**
 * The single-pass PUT pieces: the digest pass, the stored length computed in advance, and the
 * encrypting file reader (which must notice a file that changed between the two passes).
 */
import { createDecipheriv, createHash, randomBytes } from "node:crypto"
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { StageUploadError } from "../../../src/errors/index.js"
import { contentEncryptor } from "../../../src/protocol/transfer/encryption.js"
import {
  CHUNK,
  coalesce,
  digestFile,
  encryptedLength,
  gzip,
  readFile
} from "../../../src/services/storage/pipeline.js"

const scratch = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "sf-pipeline-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const onError = (cause: unknown) => new StageUploadError({ message: "Encryption failed", cause })
const concat = (chunks: Chunk.Chunk<Uint8Array>) => Buffer.concat(Chunk.toArray(chunks))
const chunk = Number(CHUNK)
// around the block size and around the read size, where off-by-one errors live
const sizes = [0, 1, 15, 16, 17, chunk - 1, chunk, chunk + 1, 3 * chunk + 5]

describe("PUT pipeline", () => {
  it.scopedLive("digestFile, encryptedLength and an encrypting readFile agree with node:crypto", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* scratch
      for (const size of sizes) {
        const plain = randomBytes(size)
        const path = join(dir, `f${size}`)
        writeFileSync(path, plain)
        const measured = yield* digestFile(fs, path)
        assert.deepStrictEqual(measured, {
          size,
          digest: createHash("sha256").update(plain).digest("base64")
        })
        const key = randomBytes(16)
        const iv = randomBytes(16)
        const stored = concat(
          yield* Stream.runCollect(
            readFile(fs, path, { size, cipher: { make: () => contentEncryptor(key, iv), onError } })
          )
        )
        assert.strictEqual(stored.length, encryptedLength(size), `stored length of ${size} bytes`)
        const decipher = createDecipheriv("aes-128-cbc", key, iv)
        assert.isTrue(Buffer.concat([decipher.update(stored), decipher.final()]).equals(plain))
        const asIs = concat(yield* Stream.runCollect(readFile(fs, path, { size })))
        assert.isTrue(asIs.equals(plain))
      }
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.scopedLive("readFile fails typed when the file is not the size its digest was taken at", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* scratch
      const path = join(dir, "growing")
      writeFileSync(path, randomBytes(chunk + 100))
      const measured = yield* digestFile(fs, path)
      appendFileSync(path, randomBytes(10))
      const encrypting = { make: () => contentEncryptor(randomBytes(16), randomBytes(16)), onError }
      for (const cipher of [undefined, encrypting]) {
        const grown = yield* Effect.flip(Stream.runDrain(readFile(fs, path, { size: measured.size, cipher })))
        assert.instanceOf(grown, StageUploadError)
        assert.match(grown.message, /changed while it was being uploaded/)
        const shrunk = yield* Effect.flip(
          Stream.runDrain(readFile(fs, path, { size: measured.size + 1000, cipher }))
        )
        assert.match(shrunk.message, /changed while it was being uploaded/)
      }
      const missing = yield* Effect.flip(Stream.runDrain(readFile(fs, join(dir, "missing"), { size: 1 })))
      assert.match(missing.message, /Could not read/)
    }).pipe(Effect.provide(NodeFileSystem.layer))
  )
})

describe("gzip (node:zlib)", () => {
  it.effect("compresses losslessly at any level, and a failing source fails with its own error", () =>
    Effect.gen(function* () {
      const { gunzipSync } = yield* Effect.promise(() => import("node:zlib"))
      const text = new TextEncoder().encode("a,b,c\n".repeat(100_000))
      const pieces = Stream.fromIterable([text.subarray(0, 1000), text.subarray(1000)])
      for (const level of [1, 9]) {
        const out = yield* Stream.runCollect(gzip(pieces, level))
        const bytes = Buffer.concat(Chunk.toArray(out))
        assert.isTrue(gunzipSync(bytes).equals(Buffer.from(text)), `level ${level}`)
      }
      const broken = Stream.concat(pieces, Stream.fail(new StageUploadError({ message: "source broke" })))
      const error = yield* Stream.runDrain(gzip(broken, 1)).pipe(Effect.flip)
      assert.instanceOf(error, StageUploadError)
      assert.strictEqual(error.message, "source broke")
    })
  )
})

describe("coalesce", () => {
  it.effect(
    "gathers small pieces into pieces of at least minBytes, passes large ones as they are, loses nothing",
    () =>
      Effect.gen(function* () {
        const big = randomBytes(100)
        const pieces = [
          ...Array.from({ length: 25 }, (_, i) => Buffer.from(`line ${i}\n`)),
          new Uint8Array(0),
          big,
          Buffer.from("tail")
        ]
        const out = yield* Stream.runCollect(
          coalesce(Stream.fromIterable(pieces).pipe(Stream.rechunk(3)), 64)
        )
        const sizes = Chunk.toArray(out).map((p) => p.length)
        // every piece but the last reaches 64 bytes
        assert.isTrue(
          sizes.slice(0, -1).every((n) => n >= 64),
          String(sizes)
        )
        assert.isBelow(sizes.length, 8)
        assert.deepStrictEqual(concat(out), Buffer.concat(pieces))
        // a source failure arrives as itself, after what came before it
        const failed = yield* Stream.runCollect(
          coalesce(Stream.concat(Stream.make(Buffer.from("ab")), Stream.fail("broken" as const)), 64)
        ).pipe(Effect.flip)
        assert.strictEqual(failed, "broken")
      })
  )
})
