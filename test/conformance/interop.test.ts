/**
 * Interoperability of our client's stages with the official snowflake-sdk, through one emulator:
 * a file PUT by our client is downloaded by the sdk's GET byte for byte as our own GET sees it, and
 * a file PUT by the sdk comes back through our GET identical — on GCS (plain HTTP) and on S3
 * (HTTPS with the emulator's self-signed certificate; the sdk runs in a child process with
 * NODE_EXTRA_CA_CERTS pointing at it, see child/sdkRun.mjs; our client gets `storage.caCertificate`).
 * Both directions also go through COPY INTO, with the row counts checked by SELECT.
 */
import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { withStages } from "../ingestion/support.js"
import { PASSWORD, USER } from "../integration/support.js"

const scratch = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "sf-interop-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

type Row = Record<string, unknown>

/** Runs statements with snowflake-sdk in a child process; `ca` becomes its NODE_EXTRA_CA_CERTS. */
const sdkRun = (accessUrl: string, statements: ReadonlyArray<string>, ca: string | undefined, dir: string) =>
  Effect.async<ReadonlyArray<ReadonlyArray<Row>>, Error>((resume) => {
    const env = { ...process.env }
    delete env.NODE_EXTRA_CA_CERTS
    if (ca !== undefined) {
      const caFile = join(dir, "storage-ca.pem")
      writeFileSync(caFile, ca)
      env.NODE_EXTRA_CA_CERTS = caFile
    }
    const job = JSON.stringify({ accessUrl, username: USER, password: PASSWORD, statements })
    const child = execFile(
      process.execPath,
      [join(import.meta.dirname, "child/sdkRun.mjs"), job],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        const answer = (() => {
          try {
            return JSON.parse(stdout) as { ok: boolean; results?: Array<Array<Row>>; message?: string }
          } catch {
            return { ok: false, message: `${error?.message ?? ""} ${stdout}` }
          }
        })()
        resume(
          answer.ok && answer.results !== undefined
            ? Effect.succeed(answer.results)
            : Effect.fail(new Error(`snowflake-sdk: ${answer.message}`))
        )
      }
    )
    return Effect.sync(() => child.kill())
  })

const csvOf = (rows: number, seed: string) =>
  `id,payload\n${Array.from({ length: rows }, (_, i) => `${i},${seed}-${i}-${randomBytes(12).toString("hex")}`).join("\n")}\n`

for (const storage of ["gcs", "s3"] as const) {
  describe(`our client and snowflake-sdk share stages (${storage})`, () => {
    it.scopedLive(
      "ours PUT → sdk GET, sdk PUT → ours GET: identical bytes; COPY INTO counts",
      () =>
        Effect.gen(function* () {
          const { emulator, stages, ingestion, sf } = yield* withStages(storage)
          const dir = yield* scratch
          const oursText = csvOf(3000, "ours")
          const sdkText = csvOf(2000, "sdk")
          writeFileSync(join(dir, "ours.csv"), oursText)
          writeFileSync(join(dir, "theirs.csv"), sdkText)
          for (const sub of ["sdk-got", "ours-got-ours", "ours-got-sdk"]) mkdirSync(join(dir, sub))

          const put = yield* stages.put(join(dir, "ours.csv"), "@~/ours")
          assert.deepStrictEqual([put[0]!.status, put[0]!.target], ["UPLOADED", "ours.csv.gz"])

          const [sdkPut, sdkGet, sdkList] = yield* sdkRun(
            emulator.url,
            [
              `PUT file://${join(dir, "theirs.csv")} @~/sdk`,
              `GET @~/ours file://${join(dir, "sdk-got")}/`,
              "LIST @~"
            ],
            emulator.storageCertificate,
            dir
          )
          assert.deepStrictEqual([sdkPut![0]!.status, sdkPut![0]!.target], ["UPLOADED", "theirs.csv.gz"])
          assert.deepStrictEqual(
            sdkGet!.map((r) => [r.file, r.status]),
            [["ours.csv.gz", "DOWNLOADED"]]
          )
          assert.deepStrictEqual(sdkList!.map((r) => r.name).sort(), [
            "ours/ours.csv.gz",
            "sdk/theirs.csv.gz"
          ])

          // ours → sdk: the sdk decrypted our object to the very gzip our own GET returns
          yield* stages.get("@~/ours", join(dir, "ours-got-ours"))
          const bySdk = readFileSync(join(dir, "sdk-got", "ours.csv.gz"))
          const byUs = readFileSync(join(dir, "ours-got-ours", "ours.csv.gz"))
          assert.isTrue(bySdk.equals(byUs))
          assert.strictEqual(gunzipSync(bySdk).toString("utf8"), oursText)

          // sdk → ours
          const got = yield* stages.get("@~/sdk", join(dir, "ours-got-sdk"))
          assert.deepStrictEqual(
            got.map((r) => [r.file, r.status]),
            [["theirs.csv.gz", "DOWNLOADED"]]
          )
          const theirs = readFileSync(join(dir, "ours-got-sdk", "theirs.csv.gz"))
          assert.strictEqual(gunzipSync(theirs).toString("utf8"), sdkText)

          // and the emulator loads both uploads
          yield* sf.execute("CREATE TABLE both_sides (id NUMBER, payload VARCHAR)")
          const { CopyInto, FileFormat } = yield* Effect.promise(() => import("../../src/sql/index.js"))
          for (const path of ["@~/ours", "@~/sdk"]) {
            yield* ingestion.copyInto(
              CopyInto.table("both_sides").pipe(
                CopyInto.from(path),
                CopyInto.fileFormat(FileFormat.csv({ skipHeader: 1 }))
              )
            )
          }
          const count = yield* sf.execute(
            "SELECT COUNT(*) AS n, COUNT_IF(payload LIKE 'sdk-%') AS sdk FROM both_sides"
          )
          assert.deepStrictEqual([Number(count.rows[0]!.N), Number(count.rows[0]!.SDK)], [5000, 2000])
        }),
      120_000
    )
  })
}
