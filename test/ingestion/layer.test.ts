import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { Emulator } from "../../src/emulator/index.js"
import { CopyInto, FileFormat, Snowflake } from "../../src/index.js"
import { clientOptions, emulatorOptions, PASSWORD, USER } from "../integration/support.js"

// s3: the emulator's self-signed certificate reaches the S3 adapter through `storage.caCertificate`
describe.each(["gcs", "s3"] as const)("Snowflake.layer provides Stages and Ingestion (%s)", (storage) => {
  it.scopedLive(
    "PUT a stream, COPY INTO through the public API",
    () =>
      Effect.gen(function* () {
        const emulator = yield* Emulator.start({ ...emulatorOptions, storage })
        const caCertificate = emulator.storageCertificate
        const context = yield* Layer.build(
          Snowflake.layer(clientOptions(emulator.url, { storage: { caCertificate } }))
        )
        const program = Effect.gen(function* () {
          const sf = yield* Snowflake.Client
          const stages = yield* Snowflake.Stages
          const ingestion = yield* Snowflake.Ingestion
          yield* sf.execute("CREATE TABLE events (id NUMBER, kind VARCHAR)")
          yield* sf.execute("CREATE STAGE landing")
          const body = Stream.make("1,open\n2,close\n3,open\n").pipe(Stream.encodeText)
          const put = yield* stages.put({ stream: body, name: "events.csv" }, "@landing/day1")
          assert.deepStrictEqual([put[0]!.status, put[0]!.target], ["UPLOADED", "events.csv.gz"])
          const copy = yield* ingestion.copyInto(
            CopyInto.table("events").pipe(
              CopyInto.from("@landing/day1"),
              CopyInto.fileFormat(FileFormat.csv())
            )
          )
          assert.strictEqual(copy.rowsLoaded, 3)
          const again = yield* ingestion.copyInto(
            CopyInto.table("events").pipe(
              CopyInto.from("@landing/day1"),
              CopyInto.fileFormat(FileFormat.csv())
            )
          )
          assert.strictEqual(again.rowsLoaded, 0)
          const n = yield* sf.execute("SELECT COUNT(*) AS n FROM events WHERE kind = 'open'")
          assert.strictEqual(Number(n.rows[0]!.N), 2)
        })
        yield* Effect.provide(program, context)
      }),
    60_000
  )
})

describe("SNOWFLAKE_STORAGE_CA_CERTIFICATE_PATH", () => {
  const env = (url: string, extra: Record<string, string>) =>
    ConfigProvider.fromMap(
      new Map(
        Object.entries({
          SNOWFLAKE_ACCOUNT: "emulator",
          SNOWFLAKE_USER: USER,
          SNOWFLAKE_PASSWORD: PASSWORD,
          SNOWFLAKE_ACCESS_URL: url,
          ...extra
        })
      )
    )

  it.scopedLive(
    "trusts the certificate in that file for an S3 stage over TLS; an unreadable path is InvalidConfig",
    () =>
      Effect.gen(function* () {
        const emulator = yield* Emulator.start({ ...emulatorOptions, storage: "s3" })
        const directory = mkdtempSync(join(tmpdir(), "sf-ca-"))
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => rmSync(directory, { recursive: true, force: true }))
        )
        const certificate = join(directory, "storage.pem")
        writeFileSync(certificate, emulator.storageCertificate ?? "")
        const context = yield* Layer.build(Snowflake.layerConfig()).pipe(
          Effect.withConfigProvider(env(emulator.url, { SNOWFLAKE_STORAGE_CA_CERTIFICATE_PATH: certificate }))
        )
        const put = yield* Effect.gen(function* () {
          const stages = yield* Snowflake.Stages
          return yield* stages.put(
            { stream: Stream.make("1,a\n").pipe(Stream.encodeText), name: "a.csv" },
            "@~/ca"
          )
        }).pipe(Effect.provide(context))
        assert.strictEqual(put[0]!.status, "UPLOADED")

        const missing = yield* Effect.flip(
          Layer.build(Snowflake.layerConfig()).pipe(
            Effect.withConfigProvider(
              env(emulator.url, { SNOWFLAKE_STORAGE_CA_CERTIFICATE_PATH: join(directory, "absent.pem") })
            )
          )
        )
        assert.strictEqual(missing._tag, "InvalidConfig")
        assert.include(missing.message, "SNOWFLAKE_STORAGE_CA_CERTIFICATE_PATH")
      }),
    60_000
  )
})
