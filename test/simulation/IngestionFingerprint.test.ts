import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Snowflake from "../../src/layers/Snowflake.js"
import * as Fp from "../../src/simulation/IngestionFingerprint.js"
import * as StableJson from "../../src/simulation/stableJson.js"
import * as CopyInto from "../../src/sql/CopyInto.js"
import { replayFrom, tempCassette, writeCassette } from "./support.js"

const scratch = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "sf-fp-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const records = [
  { ID: 1, NAME: "a" },
  { ID: 2n, NAME: null }
]

describe("ingestion fingerprints", () => {
  it.scoped(
    "PUT: base names and content digests, never local paths; a stream with the same bytes agrees",
    () =>
      Effect.gen(function* () {
        const dir = yield* scratch
        fs.writeFileSync(path.join(dir, "a.csv"), "1,x\n")
        fs.writeFileSync(path.join(dir, "b.csv"), "2,y\n")
        const fileSystem = yield* FileSystem.FileSystem
        const fromGlob = yield* Fp.put(fileSystem, {}, path.join(dir, "*.csv"), "@landing/Day1")
        assert.deepStrictEqual(
          fromGlob.files?.map((f) => f.name),
          ["a.csv", "b.csv"]
        )
        assert.notInclude(JSON.stringify(fromGlob), dir)
        assert.strictEqual(fromGlob.stage, "@LANDING/Day1")
        const stream = () => ({ name: "a.csv", stream: Stream.make("1,", "x\n").pipe(Stream.encodeText) })
        const fromStream = yield* Fp.put(fileSystem, {}, stream(), "@LANDING/Day1")
        assert.deepStrictEqual(fromStream, { ...fromGlob, files: [fromGlob.files![0]!] })
        // Recording: the same fingerprints, and what is sent live is the same bytes again.
        const toSend = yield* Fp.putToSend(fileSystem, {}, stream(), "@LANDING/Day1")
        assert.deepStrictEqual(toSend.request, fromStream)
        const sent = toSend.source as {
          readonly name: string
          readonly stream: Stream.Stream<Uint8Array, unknown>
        }
        assert.strictEqual(sent.name, "a.csv")
        const text = yield* Stream.runCollect(sent.stream.pipe(Stream.decodeText()))
        assert.strictEqual([...text].join(""), "1,x\n")
        const globToSend = yield* Fp.putToSend(fileSystem, {}, path.join(dir, "*.csv"), "@landing/Day1")
        assert.deepStrictEqual(globToSend.request, fromGlob)
        // regular files are sent from where they are, the glob expanded as the live PUT would
        assert.deepStrictEqual(globToSend.source, [path.join(dir, "a.csv"), path.join(dir, "b.csv")])
        fs.writeFileSync(path.join(dir, "a.csv"), "1,z\n")
        const changed = yield* Fp.put(fileSystem, {}, path.join(dir, "a.csv"), "@landing/Day1")
        assert.notStrictEqual(changed.files![0]!.sha256, fromGlob.files![0]!.sha256)
        const bad = yield* Effect.flip(Fp.put(fileSystem, {}, path.join(dir, "a.csv"), "@x; drop table t"))
        assert.strictEqual(bad._tag, "FileFormatError")
      }).pipe(Effect.provide(NodeFileSystem.layer))
  )

  it.effect(
    "bulkInsert: an array and a stream of the same records agree; other records, columns or format do not",
    () =>
      Effect.gen(function* () {
        const defaults = { database: "analytics", schema: "public" }
        const array = yield* Fp.bulkInsert(defaults, "people", records)
        const stream = yield* Fp.bulkInsert(defaults, "people", Stream.fromIterable(records))
        assert.deepStrictEqual(stream, array)
        assert.deepStrictEqual(array.context, { database: "ANALYTICS", schema: "PUBLIC" })
        assert.strictEqual(array.records, 2)
        // one table to Snowflake, one table here; another case inside quotes is another table
        assert.deepStrictEqual(yield* Fp.bulkInsert(defaults, '"PEOPLE"', records), array)
        assert.strictEqual(array.table, "PEOPLE")
        const quoted = yield* Fp.bulkInsert(defaults, 'other."People"', records)
        assert.strictEqual(quoted.table, 'OTHER."People"')
        const reordered = yield* Fp.bulkInsert(defaults, "people", [{ NAME: "a", ID: 1 }, records[1]!])
        assert.notStrictEqual(reordered.digest, array.digest)
        const json = yield* Fp.bulkInsert(defaults, "people", records, { format: "json", columns: ["ID"] })
        assert.deepStrictEqual(json.options, { format: "json", onError: "ABORT_STATEMENT" })
        assert.deepStrictEqual(json.columns, ["ID"])
      })
  )

  it.effect("copyInto: the rendered statement, normalised; an invalid COPY fails as it would live", () =>
    Effect.gen(function* () {
      const copy = (table: string) => CopyInto.table(table).pipe(CopyInto.from("@landing/Day1"))
      const a = yield* Fp.copyInto({}, copy("events"))
      const b = yield* Fp.copyInto({}, copy("EVENTS"))
      assert.strictEqual(a.operation, "copyInto")
      assert.strictEqual(StableJson.key(a), StableJson.key(b))
      assert.include(a.sql!, "@LANDING/Day1")
      const invalid = yield* Effect.flip(Fp.copyInto({}, CopyInto.table("events")))
      assert.strictEqual(invalid._tag, "FileFormatError")
    })
  )
})

describe("layerConfig replays Stages and Ingestion with SNOWFLAKE_SIMULATION_MODE=replay", () => {
  it.scoped("list, copyInto and bulkInsert answer from the cassette with no account", () =>
    Effect.gen(function* () {
      const cassette = yield* tempCassette
      const bulk = { request: yield* Fp.bulkInsert({}, "people", records) }
      const copy = yield* Fp.copyInto({}, CopyInto.table("events").pipe(CopyInto.from("@landing")))
      writeCassette(cassette, [
        {
          request: { operation: "list", stage: "@LANDING" },
          response: { stageFiles: [{ name: "landing/a.csv.gz", size: 48 }] }
        },
        {
          request: copy,
          response: {
            copy: {
              filesProcessed: 1,
              rowsLoaded: 0,
              results: [
                {
                  file: "landing/a.csv.gz",
                  status: "LOAD_FAILED",
                  rowsParsed: 1,
                  rowsLoaded: 0,
                  errorsSeen: 1,
                  firstError: "Numeric value 'x' is not recognized",
                  firstErrorLine: 1
                }
              ]
            }
          }
        },
        {
          request: bulk.request,
          response: {
            bulkInsert: { filesProcessed: 1, rowsLoaded: 2, recordsSent: 2, rejected: 0, results: [] }
          }
        }
      ])
      const outcome = yield* Effect.gen(function* () {
        const stages = yield* Snowflake.Stages
        const ingestion = yield* Snowflake.Ingestion
        const listed = yield* stages.list("@landing")
        const copied = yield* ingestion.copyInto(CopyInto.table("events").pipe(CopyInto.from("@landing")))
        const inserted = yield* ingestion.bulkInsert("people", Stream.fromIterable(records))
        return { listed, copied, inserted }
      }).pipe(Effect.provide(Snowflake.layerConfig()), replayFrom(cassette))
      assert.deepStrictEqual(outcome.listed, [
        { name: "landing/a.csv.gz", size: 48, md5: undefined, lastModified: undefined }
      ])
      assert.deepStrictEqual(outcome.copied.results[0], {
        file: "landing/a.csv.gz",
        status: "LOAD_FAILED",
        rowsParsed: 1,
        rowsLoaded: 0,
        errorsSeen: 1,
        firstError: "Numeric value 'x' is not recognized",
        firstErrorLine: 1,
        firstErrorCharacter: undefined,
        firstErrorColumnName: undefined
      })
      assert.deepStrictEqual([outcome.inserted.recordsSent, outcome.inserted.rejected], [2, 0])
    })
  )
})
