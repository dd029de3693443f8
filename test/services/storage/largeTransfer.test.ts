/**
 * Large encrypted PUTs through the real per-file transfer (`makeTransfers().uploadOne`) to s3rver
 * and azurite go up in parts of the bounded part size (not of the instruction's multipart
 * threshold), and the file comes back byte for byte. An S3 object of one part is one request, a
 * larger one below the threshold goes up in parts too, and a failing source fails the upload
 * promptly, leaving nothing.
 */
import { createHash, randomBytes } from "node:crypto"
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { StageUploadError } from "../../../src/errors/index.js"
import { TransferInstruction } from "../../../src/protocol/transfer/stageInfo.js"
import { makeTransfers } from "../../../src/services/Stages.js"
import * as Azure from "../../../src/services/storage/azure.js"
import { S3_PARTS } from "../../../src/services/storage/parts.js"
import type { StorageAdapter } from "../../../src/services/storage/StorageAdapter.js"
import * as S3 from "../../../src/services/storage/s3.js"
import { startAzurite, startS3rver } from "../../support/storage.js"

const MiB = 1024 * 1024
const SIZE = 40 * MiB + 123
/** Well below the file, so it goes up in parts; far above the part size it must not be confused with. */
const THRESHOLD = 16 * MiB

const instruction = (command: "UPLOAD" | "DOWNLOAD", locationType: "S3" | "AZURE", masterKey: string) =>
  Schema.decodeUnknownSync(TransferInstruction)({
    command,
    src_locations: ["big.bin"],
    autoCompress: false,
    overwrite: true,
    sourceCompression: "none",
    parallel: 4,
    threshold: THRESHOLD,
    stageInfo: { locationType, location: "stage/big/", region: "us-east-1", creds: {} },
    encryptionMaterial:
      command === "UPLOAD"
        ? { queryStageMasterKey: masterKey, queryId: "q1", smkId: "900719925474099333" }
        : [{ queryStageMasterKey: masterKey, queryId: "q1", smkId: "900719925474099333" }]
  })

const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "sf-large-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

/** `size` random bytes in a file, and their SHA-256. */
const randomFile = (path: string, size: number) => {
  const hash = createHash("sha256")
  const fd = openSync(path, "w")
  for (let written = 0; written < size; written += 4 * MiB) {
    const chunk = randomBytes(Math.min(4 * MiB, size - written))
    hash.update(chunk)
    writeSync(fd, chunk)
  }
  closeSync(fd)
  return hash.digest("hex")
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex")

/** PUT of a 40 MB file through uploadOne (encrypted), then GET through downloadOne: same SHA-256. */
const putAndGet = (adapter: StorageAdapter, locationType: "S3" | "AZURE") =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* tempDir
    const path = join(dir, "big.bin")
    const expected = randomFile(path, SIZE)
    const transfers = makeTransfers(fs)
    const key = randomBytes(32).toString("base64")
    const file = {
      name: "big.bin",
      path,
      open: Stream.die("a file on disk is read by path"),
      head: Effect.succeed(new Uint8Array())
    }
    const put = yield* transfers.uploadOne(adapter, instruction("UPLOAD", locationType, key), file, dir, 4)
    assert.deepStrictEqual([put.status, put.target, put.sourceSize], ["UPLOADED", "big.bin", SIZE])
    const stored = Option.getOrThrow(yield* adapter.head("big.bin"))
    assert.isDefined(stored.metadata.encryption)
    assert.isAbove(stored.size, SIZE) // encrypted: padded
    const out = join(dir, "out")
    mkdirSync(out)
    const got = yield* transfers.downloadOne(
      adapter,
      instruction("DOWNLOAD", locationType, key),
      "big.bin",
      0,
      out
    )
    assert.strictEqual(got.status, "DOWNLOADED")
    assert.strictEqual(sha256(join(out, "big.bin")), expected)
    return stored.size
  })

describe("large PUTs go up in bounded parts", () => {
  it.scopedLive(
    "S3 (s3rver): 40 MB encrypted, threshold 16 MiB: multipart in 8 MiB parts, SHA-256 round trip",
    () =>
      Effect.gen(function* () {
        const s3 = yield* startS3rver(["stage"])
        const adapter = yield* S3.make({ bucket: "stage", prefix: "big/", ...s3 })
        const storedSize = yield* putAndGet(adapter, "S3")
        const parts = s3.requests.filter((r) => r.method === "PUT" && r.url.includes("partNumber="))
        assert.strictEqual(parts.length, Math.ceil(storedSize / S3_PARTS.preferred))
        assert.deepStrictEqual(
          parts.map((part) => part.length).sort((a, b) => (b ?? 0) - (a ?? 0)),
          [...Array(parts.length - 1).fill(S3_PARTS.preferred), storedSize % S3_PARTS.preferred]
        )
      }).pipe(Effect.provide(NodeFileSystem.layer)),
    120_000
  )

  it.scopedLive(
    "Azure (azurite): 40 MB encrypted: blocks of 8 MiB, SHA-256 round trip",
    () =>
      Effect.gen(function* () {
        const azure = yield* startAzurite
        const sdk = yield* Effect.promise(() => import("@azure/storage-blob"))
        const container = new sdk.BlobServiceClient(
          azure.endpoint,
          new sdk.StorageSharedKeyCredential(azure.storageAccount, Redacted.value(azure.accountKey))
        ).getContainerClient("stage")
        yield* Effect.promise(() => container.create())
        const adapter = yield* Azure.make({
          container: "stage",
          prefix: "big/",
          endpoint: azure.endpoint,
          storageAccount: azure.storageAccount,
          accountKey: azure.accountKey
        })
        const storedSize = yield* putAndGet(adapter, "AZURE")
        const blocks = yield* Effect.promise(() =>
          container.getBlockBlobClient("big/big.bin").getBlockList("committed")
        )
        const sizes = (blocks.committedBlocks ?? []).map((block) => block.size)
        assert.strictEqual(sizes.length, Math.ceil(storedSize / (8 * MiB)))
        assert.isAtMost(Math.max(...sizes), 8 * MiB)
      }).pipe(Effect.provide(NodeFileSystem.layer)),
    120_000
  )

  it.scopedLive(
    "S3 (s3rver): one part is one request; 12 MB (under the threshold) goes up in parts; a failing source fails it",
    () =>
      Effect.gen(function* () {
        const s3 = yield* startS3rver(["stage"])
        const adapter = yield* S3.make({ bucket: "stage", prefix: "one/", ...s3 })
        const small = randomBytes(MiB)
        yield* adapter.upload("small.bin", Stream.make(new Uint8Array(small)), {
          size: small.length,
          metadata: { digest: "ZA==" }
        })
        const smallPuts = s3.requests.filter(
          (r) => r.method === "PUT" && r.url.startsWith("/stage/one/small.bin")
        )
        assert.deepStrictEqual(smallPuts, [
          { method: "PUT", url: "/stage/one/small.bin?x-id=PutObject", length: small.length }
        ])

        const bytes = randomBytes(12 * MiB)
        const pieces = Stream.range(0, 11).pipe(
          Stream.map((i) => new Uint8Array(bytes.subarray(i * MiB, (i + 1) * MiB)))
        )
        const options = { size: bytes.length, metadata: { digest: "ZA==" } }
        yield* adapter.upload("one.bin", pieces, options)
        const back = yield* Effect.scoped(
          Effect.flatMap(adapter.download("one.bin"), ({ body, info }) =>
            Effect.map(Stream.runCollect(body), (chunks) => ({ info, data: Buffer.concat([...chunks]) }))
          )
        )
        assert.isTrue(back.data.equals(bytes))
        assert.strictEqual(back.info.metadata.digest, "ZA==")
        const parts = s3.requests.filter((r) => r.method === "PUT" && r.url.includes("partNumber="))
        assert.deepStrictEqual(
          parts.map((r) => r.length),
          [8 * MiB, 4 * MiB]
        )

        const broken = Stream.concat(
          Stream.take(pieces, 5),
          Stream.fail(new StageUploadError({ message: "source broke" }))
        )
        const failure = yield* adapter
          .upload("broken.bin", broken, options)
          .pipe(
            Effect.timeoutFail({ duration: Duration.seconds(20), onTimeout: () => "hung" as const }),
            Effect.flip
          )
        assert.instanceOf(failure, StageUploadError)
        assert.strictEqual((failure as StageUploadError).message, "source broke")
        assert.isTrue(Option.isNone(yield* adapter.head("broken.bin")))
      }),
    60_000
  )
})
