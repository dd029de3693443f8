import { execFileSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as Snowflake from "../../src/layers/Snowflake.js"
import * as CopyInto from "../../src/sql/CopyInto.js"
import * as FileFormat from "../../src/sql/FileFormat.js"
import { PASSWORD } from "../integration/support.js"
import { assertNoSecrets, recordAgainstEmulator, tempCassette, writeCassette } from "./support.js"

/** A temporary directory removed when the scope closes. */
const scratch = (prefix: string) =>
  Effect.acquireRelease(
    Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), prefix))),
    (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
  )

/** Runs `effect` with the client, Stages and Ingestion replaying `cassette`. */
const replay = <A, E>(cassette: string, effect: Effect.Effect<A, E, Snowflake.Services>) =>
  Effect.scoped(
    Effect.flatMap(Layer.build(Snowflake.layerSimulated({ mode: "replay", cassette })), (context) =>
      Effect.provide(effect, context)
    )
  )

const people = Array.from({ length: 40 }, (_, i) => ({ ID: i + 1, NAME: `person, "${i + 1}"` }))
const badNumbers = [
  { ID: 1, LABEL: "a" },
  { ID: "not a number", LABEL: "b" },
  { ID: 3, LABEL: "c" }
]

/**
 * PUT a local file and a stream, LIST, COPY INTO, bulk inserts (clean, with a rejected record,
 * failing), GET into `downloads`, and what the table holds. `source` holds `events.csv`.
 */
const ingestionProgram = (source: string, downloads: string) =>
  Effect.gen(function* () {
    const sf = yield* Snowflake.Client
    const stages = yield* Snowflake.Stages
    const ingestion = yield* Snowflake.Ingestion
    yield* sf.execute("CREATE TABLE events (id NUMBER, kind VARCHAR)")
    yield* sf.execute("CREATE TABLE people (id NUMBER, name VARCHAR)")
    yield* sf.execute("CREATE TABLE nums (id NUMBER, label VARCHAR)")
    yield* sf.execute("CREATE STAGE landing")
    const putFile = yield* stages.put(path.join(source, "events.csv"), "@landing/day1")
    const putStream = yield* stages.put(
      { stream: Stream.make("3,open\n4,close\n").pipe(Stream.encodeText), name: "more.csv" },
      "@landing/day1"
    )
    const listed = yield* stages.list("@landing")
    const copy = CopyInto.table("events").pipe(
      CopyInto.from("@landing/day1"),
      CopyInto.fileFormat(FileFormat.csv())
    )
    // validate and preview are statements: recorded and replayed as such
    const validated = yield* ingestion.validate(copy)
    const previewed = (yield* ingestion.preview(copy, 3)).rows
    const copied = yield* ingestion.copyInto(copy)
    const bulk = yield* ingestion.bulkInsert("people", Stream.fromIterable(people))
    const rejected = yield* ingestion.bulkInsert("nums", badNumbers, { onError: "CONTINUE" })
    const failedBulk = yield* Effect.flip(ingestion.bulkInsert("nums", badNumbers))
    const badStage = yield* Effect.flip(stages.list("@no_such_stage"))
    const got = yield* stages.get("@landing/day1", downloads, { pattern: ".*events.*" })
    const downloaded = got.map((row) => fs.readFileSync(path.join(downloads, row.file)).toString("base64"))
    const counts = yield* sf.execute(
      "SELECT (SELECT COUNT(*) FROM events) AS E, (SELECT COUNT(*) FROM people) AS P, (SELECT COUNT(*) FROM nums) AS N"
    )
    return {
      putFile,
      putStream,
      listed: listed.map((f) => [f.name, f.size]),
      validated,
      previewed,
      copied,
      bulk,
      rejected,
      failedBulk,
      badStage,
      got,
      downloaded,
      counts: counts.rows
    }
  })

describe("simulation: stages and ingestion recorded against the emulator, replayed without it", () => {
  it.scopedLive(
    "PUT, LIST, COPY INTO, bulk inserts (with rejected records and a failure) and GET replay identically",
    () =>
      Effect.gen(function* () {
        const cassette = yield* tempCassette
        const source = yield* scratch("sf-sim-source-")
        const recordedDownloads = yield* scratch("sf-sim-get-")
        const replayedDownloads = yield* scratch("sf-sim-get-")
        fs.writeFileSync(path.join(source, "events.csv"), "1,open\n2,close\n")
        const { outcome: recorded, url } = yield* recordAgainstEmulator(
          cassette,
          ingestionProgram(source, recordedDownloads),
          "gcs"
        )
        // What was recorded is what the emulator really did.
        assert.deepStrictEqual(
          recorded.putFile.map((r) => [r.source, r.target, r.status]),
          [["events.csv", "events.csv.gz", "UPLOADED"]]
        )
        assert.deepStrictEqual(recorded.validated, [])
        assert.strictEqual(recorded.previewed.length, 3)
        assert.strictEqual(recorded.copied.rowsLoaded, 4)
        assert.deepStrictEqual(
          [recorded.bulk.recordsSent, recorded.bulk.rowsLoaded, recorded.bulk.rejected],
          [40, 40, 0]
        )
        assert.deepStrictEqual([recorded.rejected.rowsLoaded, recorded.rejected.rejected], [2, 1])
        assert.strictEqual(recorded.rejected.results[0]!.firstErrorLine, 2)
        assert.notStrictEqual(recorded.failedBulk._tag, "SimulationNotRecorded")
        assert.strictEqual(recorded.got.length, 1)
        assert.isAbove(recorded.downloaded[0]!.length, 0)
        assert.deepStrictEqual(recorded.counts, [{ E: 4n, P: 40n, N: 2n }])

        // The emulator is stopped: the replay cannot have used the network.
        const replayed = yield* replay(cassette, ingestionProgram(source, replayedDownloads))
        assert.deepStrictEqual(replayed, recorded)
        assert.strictEqual(
          Object.getPrototypeOf(replayed.failedBulk),
          Object.getPrototypeOf(recorded.failedBulk)
        )
        assert.strictEqual(Object.getPrototypeOf(replayed.badStage), Object.getPrototypeOf(recorded.badStage))
        // GET wrote the recorded bytes into the replay's own directory.
        assert.deepStrictEqual(fs.readdirSync(replayedDownloads), fs.readdirSync(recordedDownloads))

        // No secret, URL, key or local path went into the file.
        const text = fs.readFileSync(cassette, "utf8")
        assertNoSecrets(text, [
          PASSWORD,
          url,
          "MasterKey",
          "creds",
          "file://",
          source,
          recordedDownloads,
          os.tmpdir()
        ])
        const json = JSON.parse(text) as {
          version: number
          interactions: ReadonlyArray<{ request: { operation: string } }>
        }
        assert.strictEqual(json.version, 1)
        assert.deepStrictEqual(
          json.interactions.map((i) => i.request.operation).filter((op) => op !== "execute"),
          ["put", "put", "list", "copyInto", "bulkInsert", "bulkInsert", "bulkInsert", "list", "get"]
        )
      }),
    90_000
  )

  it.scopedLive(
    "an ingestion request that differs is a SimulationMismatch naming the field; an unrecorded one is SimulationNotRecorded",
    () =>
      Effect.gen(function* () {
        const cassette = yield* tempCassette
        const source = yield* scratch("sf-sim-source-")
        fs.writeFileSync(path.join(source, "a.csv"), "1,x\n")
        yield* recordAgainstEmulator(
          cassette,
          Effect.gen(function* () {
            const sf = yield* Snowflake.Client
            const stages = yield* Snowflake.Stages
            const ingestion = yield* Snowflake.Ingestion
            yield* sf.execute("CREATE TABLE people (id NUMBER, name VARCHAR)")
            yield* sf.execute("CREATE STAGE landing")
            yield* stages.put(path.join(source, "a.csv"), "@landing")
            yield* ingestion.bulkInsert("people", people.slice(0, 3))
          })
        )
        // The local file changed since it was recorded.
        fs.writeFileSync(path.join(source, "a.csv"), "1,y\n")
        const errors = yield* replay(
          cassette,
          Effect.gen(function* () {
            const stages = yield* Snowflake.Stages
            const ingestion = yield* Snowflake.Ingestion
            const changedFile = yield* Effect.flip(stages.put(path.join(source, "a.csv"), "@landing"))
            const otherRecords = yield* Effect.flip(ingestion.bulkInsert("people", people.slice(0, 4)))
            const otherFormat = yield* Effect.flip(
              ingestion.bulkInsert("people", people.slice(0, 3), { format: "json" })
            )
            yield* ingestion.bulkInsert("people", people.slice(0, 3))
            const again = yield* Effect.flip(ingestion.bulkInsert("people", people.slice(0, 3)))
            const unknown = yield* Effect.flip(stages.list("@elsewhere"))
            const notAFile = yield* Effect.flip(stages.put(path.join(source, "missing.csv"), "@landing"))
            return { changedFile, otherRecords, otherFormat, again, unknown, notAFile }
          })
        )
        assert.strictEqual(errors.changedFile._tag, "SimulationMismatch")
        assert.include(errors.changedFile.message, "put of @LANDING does not match")
        assert.include(errors.changedFile.message, "files.0.sha256: recorded")
        assert.strictEqual(errors.otherRecords._tag, "SimulationMismatch")
        assert.include(errors.otherRecords.message, "bulkInsert into PEOPLE")
        assert.include(errors.otherRecords.message, "records: recorded 3, requested 4")
        assert.include(errors.otherRecords.message, "digest: recorded")
        assert.strictEqual(errors.otherFormat._tag, "SimulationMismatch")
        assert.include(errors.otherFormat.message, 'options.format: recorded "csv", requested "json"')
        assert.strictEqual(errors.again._tag, "SimulationNotRecorded")
        assert.include(errors.again.message, "recorded 1 time(s)")
        assert.strictEqual(errors.unknown._tag, "SimulationNotRecorded")
        assert.include(errors.unknown.message, "list of @ELSEWHERE is not in")
        // Local validation fails as it would live, before the cassette is consulted.
        assert.strictEqual(errors.notAFile._tag, "StageUploadError")
      }),
    60_000
  )

  it.scopedLive(
    "recording a PUT of a named pipe reads it once: the stage gets every byte, and a file with the same content replays it",
    () =>
      Effect.gen(function* () {
        const cassette = yield* tempCassette
        const source = yield* scratch("sf-sim-fifo-")
        const downloads = yield* scratch("sf-sim-get-")
        const fifo = path.join(source, "piped.csv")
        execFileSync("mkfifo", [fifo])
        const bytes = randomBytes(3 * 1024 * 1024 + 7)
        // the writer blocks until the recording opens the pipe for reading
        const writer = fs.promises.writeFile(fifo, bytes)
        const { outcome } = yield* recordAgainstEmulator(
          cassette,
          Effect.gen(function* () {
            const stages = yield* Snowflake.Stages
            const put = yield* stages.put(fifo, "@~/fifo", { autoCompress: false })
            const got = yield* stages.get("@~/fifo", downloads)
            return { put, got }
          }),
          "gcs"
        )
        yield* Effect.promise(() => writer)
        assert.deepStrictEqual(
          outcome.put.map((r) => [r.source, r.status, r.sourceSize]),
          [["piped.csv", "UPLOADED", bytes.length]]
        )
        assert.isTrue(fs.readFileSync(path.join(downloads, "piped.csv")).equals(bytes))
        // The fingerprint is the content's: the same bytes from a regular file replay the PUT.
        fs.rmSync(fifo)
        fs.writeFileSync(fifo, bytes)
        const replayed = yield* replay(
          cassette,
          Effect.flatMap(Snowflake.Stages, (stages) => stages.put(fifo, "@~/fifo", { autoCompress: false }))
        )
        assert.deepStrictEqual(replayed, outcome.put)
      }),
    60_000
  )

  it.scopedLive(
    "recording a bulkInsert streams its records to the live load, never whole; one that fails on a later record replays that failure",
    () =>
      Effect.gen(function* () {
        const cassette = yield* tempCassette
        const withExtraKey = Stream.range(1, 10_000).pipe(
          Stream.rechunk(100),
          Stream.map((id) => (id === 5_000 ? { ID: id, NAME: "x", EXTRA: 1 } : { ID: id, NAME: `n${id}` }))
        )
        const { outcome } = yield* recordAgainstEmulator(
          cassette,
          Effect.gen(function* () {
            const sf = yield* Snowflake.Client
            const ingestion = yield* Snowflake.Ingestion
            yield* sf.execute("CREATE TABLE endless (id NUMBER, name VARCHAR)")
            // records without end: with the records read whole first, no file would ever go up
            const records = Stream.iterate(1, (n) => n + 1).pipe(
              Stream.map((id) => ({ ID: id, NAME: `n${id}` }))
            )
            const fiber = yield* Effect.fork(
              ingestion.bulkInsert("endless", records, { fileSize: 16 * 1024 })
            )
            const listed = Effect.map(sf.execute("LIST @%endless"), (r) => r.rows.length)
            const files = yield* listed.pipe(
              Effect.repeat({ until: (n) => n >= 3, schedule: Schedule.spaced("20 millis") }),
              Effect.timeout("30 seconds")
            )
            yield* Fiber.interrupt(fiber)
            // the live load stops at record 5,000; the rest is still read for the fingerprint
            const failed = yield* Effect.flip(ingestion.bulkInsert("endless", withExtraKey))
            return { files, failed }
          })
        )
        assert.isAtLeast(outcome.files, 3)
        assert.strictEqual(outcome.failed._tag, "DataError")
        assert.include(outcome.failed.message, "record 5000")
        const replayed = yield* replay(
          cassette,
          Effect.flatMap(Snowflake.Ingestion, (ingestion) =>
            Effect.flip(ingestion.bulkInsert("endless", withExtraKey))
          )
        )
        assert.strictEqual(replayed._tag, "DataError")
        assert.strictEqual(replayed.message, outcome.failed.message)
      }),
    60_000
  )

  it.scopedLive("a GET whose files were too large to keep fails on replay, saying so", () =>
    Effect.gen(function* () {
      const cassette = yield* tempCassette
      const downloads = yield* scratch("sf-sim-get-")
      writeCassette(cassette, [
        {
          request: { operation: "get", stage: "@BIG", options: { onError: "fail" } },
          response: {
            download: {
              results: [{ file: "huge.bin", size: 2_000_000, status: "DOWNLOADED" }],
              bytes: 2_000_000
            }
          }
        }
      ])
      const error = yield* replay(
        cassette,
        Effect.flatMap(Snowflake.Stages, (stages) => Effect.flip(stages.get("@big", downloads)))
      )
      assert.strictEqual(error._tag, "SimulationNotRecorded")
      assert.include(error.message, "2000000 bytes")
      assert.deepStrictEqual(fs.readdirSync(downloads), [])
    })
  )
})
