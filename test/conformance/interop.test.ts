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
          const { CopyInto, FileFormat } = yield* Effect.promise(() => import("../../src/index.js"))
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

/**
 * File names that need escaping in a URL path. Our client escapes each path segment with
 * encodeURIComponent; snowflake-sdk 3.3.0 (gcs_util.js generateFileURL) pastes the raw name into
 * `<endPoint>/<bucket>/<path><name>` and axios's WHATWG URL parse escapes only what a path must
 * (space, `"`, non-ASCII…), leaving `'`, `+`, `$` and `%` as they are and cutting the name at `#`
 * or `?`. Either way the endpoint must store and serve the exact name that LIST and COPY show.
 */
const ODD_NAMES = ["a b.csv", "it's.csv", "a+b.csv", "100%.csv", "x#y.csv", "naïve-日本.csv"]
/**
 * snowflake-sdk's own limits (it does not escape the name), skipped only in its direction: `#`
 * ends its URL's path, so its PUT of `x#y.csv` reports UPLOADED but stores an object named `x`
 * (the rest is a fragment, never sent); and a bare `%` goes out as it is, so `100%.csv.gz` is a
 * malformed escape that GCS answers with 400 (checked below: promptly), while `a%41b.csv` would
 * silently become `aAb.csv`.
 */
const SDK_NAMES = ODD_NAMES.filter((name) => !name.includes("#") && !name.includes("%"))
const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`

describe("our client and snowflake-sdk share GCS objects with odd names", () => {
  it.scopedLive(
    "ours PUT → LIST exact → sdk GET identical; sdk PUT → ours GET identical; COPY INTO counts",
    () =>
      Effect.gen(function* () {
        const { emulator, stages, sf } = yield* withStages("gcs")
        const dir = yield* scratch
        for (const sub of ["ours", "theirs", "sdk-got", "ours-got-ours", "ours-got-sdk"]) {
          mkdirSync(join(dir, sub))
        }
        const rowsOf = (index: number) => 5 + index
        const texts = new Map(ODD_NAMES.map((name, i) => [name, csvOf(rowsOf(i), `ours-${i}`)]))
        const sdkTexts = new Map(SDK_NAMES.map((name, i) => [name, csvOf(rowsOf(i) * 10, `sdk-${i}`)]))
        for (const [name, text] of texts) writeFileSync(join(dir, "ours", name), text)
        for (const [name, text] of sdkTexts) writeFileSync(join(dir, "theirs", name), text)

        for (const name of ODD_NAMES) {
          const put = yield* stages.put(join(dir, "ours", name), "@~/ours")
          assert.deepStrictEqual([put[0]!.status, put[0]!.target], ["UPLOADED", `${name}.gz`])
        }
        assert.deepStrictEqual(
          (yield* stages.list("@~/ours")).map((f) => f.name).sort(),
          ODD_NAMES.map((name) => `ours/${name}.gz`).sort()
        )

        const safe = `.*/(${SDK_NAMES.map((name) => name.replace(/[.+]/g, "[$&]")).join("|")})[.]gz`
        const [, sdkGet, ...sdkPuts] = yield* sdkRun(
          emulator.url,
          [
            "LIST @~/ours",
            `GET @~/ours ${sqlString(`file://${join(dir, "sdk-got")}/`)} PATTERN = ${sqlString(safe)}`,
            ...SDK_NAMES.map((name) => `PUT ${sqlString(`file://${join(dir, "theirs", name)}`)} @~/sdk`)
          ],
          undefined,
          dir
        )
        assert.deepStrictEqual(
          sdkGet!.map((r) => [r.file, r.status]).sort(),
          SDK_NAMES.map((name) => [`${name}.gz`, "DOWNLOADED"]).sort()
        )
        assert.deepStrictEqual(
          sdkPuts.map((rows) => [rows[0]!.source, rows[0]!.target, rows[0]!.status]),
          SDK_NAMES.map((name) => [name, `${name}.gz`, "UPLOADED"])
        )

        // ours → sdk: the sdk decrypted each object to the very gzip our own GET returns
        const oursGot = yield* stages.get("@~/ours", join(dir, "ours-got-ours"))
        assert.deepStrictEqual(
          oursGot.map((r) => r.file).sort(),
          ODD_NAMES.map((name) => `${name}.gz`).sort()
        )
        for (const name of ODD_NAMES) {
          const byUs = readFileSync(join(dir, "ours-got-ours", `${name}.gz`))
          assert.strictEqual(gunzipSync(byUs).toString("utf8"), texts.get(name), name)
          if (!SDK_NAMES.includes(name)) continue
          assert.isTrue(readFileSync(join(dir, "sdk-got", `${name}.gz`)).equals(byUs), name)
        }

        // sdk → ours
        assert.deepStrictEqual(
          (yield* stages.list("@~/sdk")).map((f) => f.name).sort(),
          SDK_NAMES.map((name) => `sdk/${name}.gz`).sort()
        )
        yield* stages.get("@~/sdk", join(dir, "ours-got-sdk"))
        for (const [name, text] of sdkTexts) {
          const theirs = readFileSync(join(dir, "ours-got-sdk", `${name}.gz`))
          assert.strictEqual(gunzipSync(theirs).toString("utf8"), text, name)
        }

        // COPY INTO reads each object under the very name LIST shows
        yield* sf.execute("CREATE TABLE odd_names (id NUMBER, payload VARCHAR)")
        for (const [folder, expected] of [
          ["ours", texts],
          ["sdk", sdkTexts]
        ] as const) {
          const copied = yield* sf.execute(
            `COPY INTO odd_names FROM @~/${folder} FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`
          )
          assert.deepStrictEqual(
            copied.rows.map((r) => [r.file, r.status, Number(r.rows_loaded)]).sort(),
            [...expected]
              .map(([name, text]) => [
                `${folder}/${name}.gz`,
                "LOADED",
                text.trimEnd().split("\n").length - 1
              ])
              .sort()
          )
        }
      }),
    120_000
  )

  it.scopedLive("snowflake-sdk's unescaped `%` is answered 400, not left hanging", () =>
    Effect.gen(function* () {
      const { emulator } = yield* withStages("gcs")
      const dir = yield* scratch
      writeFileSync(join(dir, "100%.csv"), "id\n1\n")
      const failed = yield* sdkRun(
        emulator.url,
        [`PUT ${sqlString(`file://${join(dir, "100%.csv")}`)} @~/sdk`],
        undefined,
        dir
      ).pipe(Effect.flip, Effect.timeout("20 seconds"))
      assert.match(failed.message, /400/)
    })
  )
})
