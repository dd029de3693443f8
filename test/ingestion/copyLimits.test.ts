/**
 * COPY INTO's SIZE_LIMIT and RETURN_FAILED_ONLY on the emulator, through the client's builder:
 * files are taken in order until the bytes taken reach the limit (the one that crosses it still
 * loads); only files that did not load fully are reported when asked.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as CopyInto from "../../src/sql/CopyInto.js"
import * as FileFormat from "../../src/sql/FileFormat.js"
import { textFile as file, withStages } from "./support.js"

const csvRows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `${from + i},row ${from + i}\n`).join("")

describe("COPY INTO SIZE_LIMIT and RETURN_FAILED_ONLY (local stage)", () => {
  it.scopedLive("SIZE_LIMIT stops after the file that reaches it; the rest load on the next COPY", () =>
    Effect.gen(function* () {
      const { stages, ingestion, sf } = yield* withStages("local")
      yield* sf.execute("CREATE TABLE t (id NUMBER, label VARCHAR)")
      for (const n of [1, 2, 3, 4])
        yield* stages.put(file(`f${n}.csv`, csvRows(n * 1000, 100)), "@%t", { autoCompress: false })
      const size = Number((yield* sf.execute("LIST @%t")).rows[0]!.size)
      const copy = CopyInto.table("t").pipe(
        CopyInto.from("@%t"),
        CopyInto.fileFormat(FileFormat.csv()),
        // more than one file, less than two: the second file crosses it and still loads
        CopyInto.sizeLimit(Math.floor(size * 1.5))
      )
      const first = yield* ingestion.copyInto(copy)
      assert.deepStrictEqual(
        first.results.map((r) => r.file),
        ["f1.csv", "f2.csv"]
      )
      const second = yield* ingestion.copyInto(copy)
      assert.deepStrictEqual(
        second.results.map((r) => r.file),
        ["f3.csv", "f4.csv"]
      )
      assert.strictEqual(Number((yield* sf.execute("SELECT COUNT(*) AS n FROM t")).rows[0]!.N), 400)
    })
  )

  it.scopedLive("RETURN_FAILED_ONLY reports only the files that did not load fully", () =>
    Effect.gen(function* () {
      const { stages, ingestion, sf } = yield* withStages("local")
      yield* sf.execute("CREATE TABLE t (id NUMBER, label VARCHAR)")
      yield* stages.put(file("good.csv", csvRows(1, 10)), "@%t", { autoCompress: false })
      yield* stages.put(file("bad.csv", `${csvRows(20, 3)}x,broken\n`), "@%t", { autoCompress: false })
      const result = yield* ingestion.copyInto(
        CopyInto.table("t").pipe(
          CopyInto.from("@%t"),
          CopyInto.fileFormat(FileFormat.csv()),
          CopyInto.onError("CONTINUE"),
          CopyInto.options({ returnFailedOnly: true })
        )
      )
      assert.deepStrictEqual(
        result.results.map((r) => [r.file, r.status, r.rowsLoaded]),
        [["bad.csv", "PARTIALLY_LOADED", 3]]
      )
      assert.strictEqual(Number((yield* sf.execute("SELECT COUNT(*) AS n FROM t")).rows[0]!.N), 13)
    })
  )
})
