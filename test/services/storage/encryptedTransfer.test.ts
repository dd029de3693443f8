import { randomBytes } from "node:crypto"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { TransferInstruction } from "../../../src/protocol/transfer/stageInfo.js"
import { makeTransfers } from "../../../src/services/Stages.js"
import * as S3 from "../../../src/services/storage/s3.js"
import { startS3rver } from "../../support/storage.js"

const instruction = (command: "UPLOAD" | "DOWNLOAD", masterKey: string) =>
  Schema.decodeUnknownSync(TransferInstruction)({
    command,
    src_locations: ["data.csv.gz"],
    autoCompress: true,
    overwrite: false,
    sourceCompression: "auto_detect",
    parallel: 2,
    stageInfo: { locationType: "S3", location: "bucket/stage/", region: "us-east-1", creds: {} },
    encryptionMaterial:
      command === "UPLOAD"
        ? { queryStageMasterKey: masterKey, queryId: "q1", smkId: 900719925474099333n.toString() }
        : [{ queryStageMasterKey: masterKey, queryId: "q1", smkId: "900719925474099333" }]
  })

describe("encrypted PUT/GET pipeline against s3rver", () => {
  it.scopedLive(
    "round trip; wrong master key and tampered object fail typed and leave no file",
    () =>
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const s3 = yield* startS3rver(["bucket"])
        const adapter = yield* S3.make({ bucket: "bucket", prefix: "stage/", ...s3 })
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => mkdtempSync(join(tmpdir(), "sf-enc-"))),
          (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
        )
        const transfers = makeTransfers(fs)
        const key = randomBytes(32).toString("base64")
        const text = "id,value\n".concat(Array.from({ length: 5000 }, (_, i) => `${i},${i * i}\n`).join(""))
        const file = {
          name: "data.csv",
          open: Stream.make(new TextEncoder().encode(text)),
          head: Effect.succeed(new Uint8Array())
        }
        const uploaded = yield* transfers.uploadOne(adapter, instruction("UPLOAD", key), file, dir, 2)
        assert.strictEqual(uploaded.status, "UPLOADED")
        assert.strictEqual(uploaded.target, "data.csv.gz")
        // stored bytes are encrypted: not gzip
        const stored = Option.getOrThrow(yield* adapter.head("data.csv.gz"))
        assert.isDefined(stored.metadata.encryption)
        assert.strictEqual(stored.size % 16, 0)

        const out = join(dir, "out")
        yield* fs.makeDirectory(out)
        const ok = yield* transfers.downloadOne(adapter, instruction("DOWNLOAD", key), "data.csv.gz", 0, out)
        assert.strictEqual(ok.status, "DOWNLOADED")
        assert.strictEqual(gunzipSync(readFileSync(join(out, "data.csv.gz"))).toString("utf8"), text)

        const wrongDir = join(dir, "wrong")
        yield* fs.makeDirectory(wrongDir)
        const wrong = yield* transfers
          .downloadOne(
            adapter,
            instruction("DOWNLOAD", randomBytes(32).toString("base64")),
            "data.csv.gz",
            0,
            wrongDir
          )
          .pipe(Effect.flip)
        assert.strictEqual(wrong._tag, "StageUploadError")
        assert.include(wrong.message, "decrypt")
        assert.deepStrictEqual(readdirSync(wrongDir), [])
        assert.notInclude(wrong.message, key)

        // Tamper: same metadata, one byte flipped in the middle.
        const body = yield* Effect.scoped(
          Effect.flatMap(adapter.download("data.csv.gz"), ({ body }) => Stream.runCollect(body))
        )
        const bytes = Buffer.concat([...body])
        bytes[100] = bytes[100]! ^ 0x01
        yield* adapter.upload("data.csv.gz", Stream.make(new Uint8Array(bytes)), {
          metadata: stored.metadata
        })
        const tamperedDir = join(dir, "tampered")
        yield* fs.makeDirectory(tamperedDir)
        const tampered = yield* transfers
          .downloadOne(adapter, instruction("DOWNLOAD", key), "data.csv.gz", 0, tamperedDir)
          .pipe(Effect.flip)
        assert.strictEqual(tampered._tag, "StageUploadError")
        assert.isFalse(existsSync(join(tamperedDir, "data.csv.gz")))

        // overwrite false + existing object: SKIPPED, nothing uploaded
        const skipped = yield* transfers.uploadOne(adapter, instruction("UPLOAD", key), file, dir, 2)
        assert.deepStrictEqual([skipped.status, skipped.targetSize], ["SKIPPED", 0])
      }).pipe(Effect.provide(NodeFileSystem.layer)),
    60_000
  )
})
