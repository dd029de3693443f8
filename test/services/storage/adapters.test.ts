import { randomBytes } from "node:crypto"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { Emulator } from "../../../src/emulator/index.js"
import * as CloudStorage from "../../../src/services/CloudStorage.js"
import * as Azure from "../../../src/services/storage/azure.js"
import type { StorageAdapter } from "../../../src/services/storage/StorageAdapter.js"
import * as S3 from "../../../src/services/storage/s3.js"
import { rows, sqlSession } from "../../emulator/stages/client.js"
import { startAzurite, startS3rver } from "../../support/storage.js"

const TestLayer = CloudStorage.layer.pipe(
  Layer.provideMerge(Layer.merge(NodeHttpClient.layerUndici, NodeContext.layer))
)

const collect = (stream: Stream.Stream<Uint8Array, unknown>) =>
  Effect.map(Stream.runCollect(stream), (chunks) => Buffer.concat(Chunk.toArray(chunks)))

/** Uploads in uneven pieces, HEADs, downloads: bytes and metadata must come back unchanged. */
const roundTrip = (adapter: StorageAdapter, size: number) =>
  Effect.gen(function* () {
    const bytes = randomBytes(size)
    const pieces = [bytes.subarray(0, 7), bytes.subarray(7, size - 3), bytes.subarray(size - 3)]
    assert.isTrue(Option.isNone(yield* adapter.head("dir/file.bin")))
    const metadata = {
      digest: "ZGlnZXN0",
      encryption: {
        wrappedKey: "a2V5",
        iv: "aXY=",
        matdesc: '{"smkId":"900719925474099333","queryId":"q","keySize":"128"}'
      }
    }
    yield* adapter.upload("dir/file.bin", Stream.fromIterable(pieces.map((p) => new Uint8Array(p))), {
      metadata,
      concurrency: 2
    })
    const info = yield* adapter.head("dir/file.bin")
    assert.isTrue(Option.isSome(info))
    const got = Option.getOrThrow(info)
    assert.strictEqual(got.size, size)
    assert.deepStrictEqual(got.metadata, metadata)
    const back = yield* Effect.scoped(
      Effect.flatMap(adapter.download("dir/file.bin"), ({ info, body }) =>
        Effect.map(collect(body), (data) => ({ info, data }))
      )
    )
    assert.isTrue(back.data.equals(bytes))
    assert.deepStrictEqual(back.info.metadata, metadata)
  })

describe("storage adapters against real emulators", () => {
  it.scopedLive(
    "S3 (s3rver): single-part and multipart round trips keep bytes and metadata",
    () =>
      Effect.gen(function* () {
        const s3 = yield* startS3rver(["bucket"])
        const adapter = yield* S3.make({ bucket: "bucket", prefix: "stage/abc/", ...s3 })
        yield* roundTrip(adapter, 1000)
        const big = yield* S3.make({ bucket: "bucket", prefix: "big/", ...s3 })
        // 11 MiB: three parts of 5 MiB minimum
        yield* roundTrip(big, 11 * 1024 * 1024 + 5)
      }),
    60_000
  )

  it.scopedLive(
    "Azure (azurite): round trip keeps bytes and metadata",
    () =>
      Effect.gen(function* () {
        const azure = yield* startAzurite
        const sdk = yield* Effect.promise(() => import("@azure/storage-blob"))
        const { Redacted } = yield* Effect.promise(() => import("effect"))
        const service = new sdk.BlobServiceClient(
          azure.endpoint,
          new sdk.StorageSharedKeyCredential(azure.storageAccount, Redacted.value(azure.accountKey))
        )
        yield* Effect.promise(() => service.getContainerClient("stages").create())
        const adapter = yield* Azure.make({
          container: "stages",
          prefix: "p/",
          endpoint: azure.endpoint,
          storageAccount: azure.storageAccount,
          accountKey: azure.accountKey
        })
        yield* roundTrip(adapter, 5 * 1024 * 1024 + 17)
      }),
    60_000
  )

  it.scopedLive(
    "CloudStorage.writeUrl / readUrl: s3:// and azure:// and file://",
    () =>
      Effect.gen(function* () {
        const storage = yield* CloudStorage.CloudStorage
        const s3 = yield* startS3rver(["exports"])
        const azure = yield* startAzurite
        const sdk = yield* Effect.promise(() => import("@azure/storage-blob"))
        const { Redacted } = yield* Effect.promise(() => import("effect"))
        yield* Effect.promise(() =>
          new sdk.BlobServiceClient(
            azure.endpoint,
            new sdk.StorageSharedKeyCredential(azure.storageAccount, Redacted.value(azure.accountKey))
          )
            .getContainerClient("exports")
            .create()
        )
        const text = "a,b\r\n1,2\r\n".repeat(1000)
        const body = Stream.make(new TextEncoder().encode(text))
        const options = {
          s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
          azure: {
            endpoint: azure.endpoint,
            storageAccount: azure.storageAccount,
            accountKey: azure.accountKey
          }
        }
        for (const url of ["s3://exports/daily/out.csv", "azure://exports/daily/out.csv"]) {
          yield* storage.writeUrl(url, body, options)
          const back = yield* collect(storage.readUrl(url, options))
          assert.strictEqual(back.toString("utf8"), text, url)
        }
        // A failing source fails the write with its own error.
        const failure = yield* storage
          .writeUrl(
            "s3://exports/broken.csv",
            Stream.concat(body, Stream.fail("source broke" as const)),
            options
          )
          .pipe(Effect.flip)
        assert.strictEqual(failure, "source broke")
        // Missing credentials: a typed error, nothing attempted.
        const noCreds = yield* storage.writeUrl("s3://exports/x", body).pipe(Effect.flip)
        assert.strictEqual(noCreds._tag, "StageUploadError")
      }).pipe(Effect.provide(TestLayer)),
    60_000
  )

  it.scopedLive(
    "CloudStorage.writeUrl / readUrl: gs:// to the emulator's GCS endpoint, visible to LIST on the stage",
    () =>
      Effect.gen(function* () {
        const storage = yield* CloudStorage.CloudStorage
        const emulator = yield* Emulator.start({ storage: "gcs" })
        const sql = yield* sqlSession(emulator.url)
        // a PUT instruction hands out the endpoint, the bucket and path of @~, and a token
        const info = (yield* sql("PUT 'file:///tmp/x.csv' @~/exports")).data.stageInfo
        const [bucket, ...path] = String(info.location).split("/")
        const options = {
          gcs: {
            endpoint: String(info.endPoint),
            accessToken: Redacted.make(String(info.creds.GCS_ACCESS_TOKEN))
          }
        }
        const text = "a,b\n1,2\n".repeat(1000)
        const url = `gs://${bucket}/${path.join("/")}daily out.csv`
        yield* storage.writeUrl(url, Stream.make(new TextEncoder().encode(text)), options)
        assert.strictEqual((yield* collect(storage.readUrl(url, options))).toString("utf8"), text)
        assert.deepStrictEqual(
          (yield* rows(sql, "LIST @~/exports")).map((r) => r.name),
          ["exports/daily out.csv"]
        )
        // a wrong token is a typed error
        const denied = yield* storage
          .writeUrl(url, Stream.make(new Uint8Array([1])), {
            gcs: { ...options.gcs, accessToken: Redacted.make("x") }
          })
          .pipe(Effect.flip)
        assert.strictEqual(denied._tag, "StageUploadError")
      }).pipe(Effect.provide(TestLayer)),
    60_000
  )
})
