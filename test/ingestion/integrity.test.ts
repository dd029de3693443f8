/**
 * GET through our client refuses bytes it cannot vouch for, on every encrypted backend of the
 * emulator (GCS, S3 over TLS, Azure): an object altered in storage, and the same file encrypted
 * under another master key, both fail with a typed `StageUploadError` and leave no file behind.
 * The objects are rewritten with our own storage adapters from a real GET instruction, so the
 * stored metadata (envelope, digest) stays exactly as the stage expects it.
 */
import { randomBytes } from "node:crypto"
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { rootCertificates } from "node:tls"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { Emulator } from "../../src/emulator/index.js"
import * as Encryption from "../../src/protocol/transfer/encryption.js"
import { materialFor } from "../../src/protocol/transfer/stageInfo.js"
import * as Stages from "../../src/services/Stages.js"
import type { StorageAdapter } from "../../src/services/storage/StorageAdapter.js"
import { emulatorOptions } from "../integration/support.js"
import { servicesLayer, withStages } from "./support.js"

const scratch = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "sf-integrity-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const readAll = (adapter: StorageAdapter, key: string) =>
  Effect.scoped(
    Effect.flatMap(adapter.download(key), ({ info, body }) =>
      Effect.map(Stream.runCollect(body), (chunks) => ({
        info,
        bytes: Buffer.concat(Chunk.toArray(chunks))
      }))
    )
  )

const cipherAll = (cipher: Encryption.Cipher, bytes: Uint8Array) =>
  Buffer.concat([cipher.update(bytes), cipher.final()])

for (const storage of ["gcs", "s3", "azure"] as const) {
  describe(`GET integrity through the emulator (${storage})`, () => {
    it.scopedLive(
      "a tampered object and a file under another master key fail GET, typed, nothing written",
      () =>
        Effect.gen(function* () {
          const { stages, pool, cloud } = yield* withStages(storage)
          const dir = yield* scratch
          const text = "id,name\n".concat(Array.from({ length: 2000 }, (_, i) => `${i},n${i}\n`).join(""))
          const put = yield* stages.put(
            { stream: Stream.make(text).pipe(Stream.encodeText), name: "f.csv" },
            "@~/in"
          )
          assert.strictEqual(put[0]!.status, "UPLOADED")
          // sanity: the untouched object comes back
          const ok = yield* stages.get("@~/in", join(dir, "ok"))
          assert.strictEqual(ok[0]!.status, "DOWNLOADED")

          const plan = yield* Stages.transferInstruction(pool, `GET @~/in file://${dir}/x/`)
          const key = plan.src_locations[0]!
          const material = materialFor(plan, 0)!
          const adapter = yield* cloud.forStage(plan.stageInfo)
          const original = yield* readAll(adapter, key)
          const envelope = original.info.metadata.encryption!
          assert.isDefined(envelope)

          // 1. one byte flipped in the middle of the stored ciphertext
          const tampered = Buffer.from(original.bytes)
          tampered[tampered.length >> 1]! ^= 0x55
          yield* adapter.upload(key, Stream.make(new Uint8Array(tampered)), {
            size: tampered.length,
            metadata: original.info.metadata
          })
          const bad = yield* stages.get("@~/in", join(dir, "tampered")).pipe(Effect.flip)
          assert.strictEqual(bad._tag, "StageUploadError")
          assert.match(bad.message, /wrong key or tampered/)
          assert.deepStrictEqual(readdirSync(join(dir, "tampered")), [])

          // 2. the same gzip, encrypted under a master key the stage does not have
          const plain = cipherAll(Encryption.decryptorFor(material, envelope), original.bytes)
          const foreign = Encryption.forNewFile({
            ...material,
            queryStageMasterKey: Redacted.make(randomBytes(16).toString("base64"))
          })
          const reencrypted = cipherAll(foreign.encryptor(), plain)
          yield* adapter.upload(key, Stream.make(new Uint8Array(reencrypted)), {
            size: reencrypted.length,
            metadata: { ...original.info.metadata, encryption: foreign.envelope }
          })
          const wrong = yield* stages.get("@~/in", join(dir, "wrong-key")).pipe(Effect.flip)
          assert.strictEqual(wrong._tag, "StageUploadError")
          assert.match(wrong.message, /wrong key or tampered/)
          assert.isFalse(existsSync(join(dir, "wrong-key", "f.csv.gz")))

          // putting the original back makes GET succeed again: the failures were about the bytes
          yield* adapter.upload(key, Stream.make(new Uint8Array(original.bytes)), {
            size: original.bytes.length,
            metadata: original.info.metadata
          })
          const back = yield* stages.get("@~/in", join(dir, "back"))
          assert.strictEqual(back[0]!.status, "DOWNLOADED")
        }),
      60_000
    )
  })
}

describe("S3 stage TLS", () => {
  it.scopedLive(
    "without the emulator's certificate the client refuses the self-signed S3 endpoint",
    () =>
      Effect.gen(function* () {
        const emulator = yield* Emulator.start({ ...emulatorOptions, storage: "s3" })
        const context = yield* Layer.build(servicesLayer(emulator.url))
        const stages = yield* Effect.provide(Stages.Stages, context)
        const failed = yield* stages
          .put({ stream: Stream.make("1\n").pipe(Stream.encodeText), name: "x.csv" }, "@~")
          .pipe(Effect.flip)
        assert.strictEqual(failed._tag, "StageUploadError")
        // trusting another certificate (one of Node's roots) is no trust in this one: still verified
        const other = yield* Layer.build(
          servicesLayer(emulator.url, { storage: { caCertificate: rootCertificates[0] } })
        )
        const otherStages = yield* Effect.provide(Stages.Stages, other)
        const refused = yield* otherStages
          .put({ stream: Stream.make("1\n").pipe(Stream.encodeText), name: "x.csv" }, "@~")
          .pipe(Effect.flip)
        assert.strictEqual(refused._tag, "StageUploadError")
      }),
    60_000
  )
})
