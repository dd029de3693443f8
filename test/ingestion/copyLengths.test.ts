/**
 * COPY INTO a table with declared string lengths, through the client's builder and a real stage:
 * a longer cell is its record's error (100074) under ON_ERROR — from DuckDB's fast CSV reader and
 * the exact parser alike — and TRUNCATECOLUMNS = TRUE / ENFORCE_LENGTH = FALSE cut it instead.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as CopyInto from "../../src/sql/CopyInto.js"
import type { CopyOptions } from "../../src/sql/CopyOptions.js"
import * as FileFormat from "../../src/sql/FileFormat.js"
import { textFile as file, withStages } from "./support.js"

// line 3's name has 6 characters for a VARCHAR(5); 'ÜÜÜÜÜ' (10 bytes) and '😀😀😀😀😀' fit
const CSV = "1,ÜÜÜÜÜ\n2,😀😀😀😀😀\n3,abcdef\n4,ok\n"

describe("COPY INTO and declared string lengths (local stage)", () => {
  it.scopedLive("a longer cell fails ABORT_STATEMENT, is skipped and counted by CONTINUE", () =>
    Effect.gen(function* () {
      const { stages, ingestion, sf } = yield* withStages("local")
      yield* sf.execute("CREATE TABLE t (id NUMBER, name VARCHAR(5))")
      yield* stages.put(file("names.csv", CSV), "@%t", { autoCompress: false })
      // TRIM_SPACE keeps DuckDB's reader away: the exact parser reads this one
      yield* stages.put(file("spaced.csv", "5,  abcdefg  \n"), "@%t/spaced", { autoCompress: false })
      const copy = (onError: "ABORT_STATEMENT" | "CONTINUE", from = "@%t/names.csv", trimSpace = false) =>
        ingestion.copyInto(
          CopyInto.table("t").pipe(
            CopyInto.from(from),
            CopyInto.fileFormat(FileFormat.csv({ fieldOptionallyEnclosedBy: '"', trimSpace })),
            CopyInto.onError(onError),
            CopyInto.force(true)
          )
        )
      const aborted = yield* Effect.flip(copy("ABORT_STATEMENT"))
      assert.strictEqual(aborted.code, "100074")
      assert.strictEqual(aborted.sqlState, "54000")
      assert.include(aborted.message, "User character length limit (5) exceeded by string 'abcdef'")
      assert.include(aborted.message, "File 'names.csv', line 3, character 3")
      assert.include(aborted.message, 'Row 3, column "T"["NAME":2]')
      assert.strictEqual((yield* sf.execute("SELECT COUNT(*) AS n FROM t")).rows[0]?.N, 0n)

      const continued = yield* copy("CONTINUE")
      const result = continued.results[0]
      assert.deepStrictEqual(
        [result?.status, result?.rowsParsed, result?.rowsLoaded, result?.errorsSeen, result?.firstErrorLine],
        ["PARTIALLY_LOADED", 4, 3, 1, 3]
      )
      assert.strictEqual(result?.firstError, "User character length limit (5) exceeded by string 'abcdef'")
      const names = (yield* sf.execute("SELECT name FROM t ORDER BY id")).rows.map((r) => r.NAME)
      assert.deepStrictEqual(names, ["ÜÜÜÜÜ", "😀😀😀😀😀", "ok"])

      const exact = yield* Effect.flip(copy("ABORT_STATEMENT", "@%t/spaced/", true))
      assert.include(exact.message, "User character length limit (5) exceeded by string 'abcdefg'")
      assert.include(exact.message, "File 'spaced/spaced.csv', line 1")
    })
  )

  it.scopedLive("TRUNCATECOLUMNS = TRUE and ENFORCE_LENGTH = FALSE cut longer strings to the length", () =>
    Effect.gen(function* () {
      const { stages, ingestion, sf } = yield* withStages("local")
      yield* sf.execute("CREATE TABLE t (id NUMBER, name VARCHAR(5))")
      yield* stages.put(file("names.csv", `${CSV}5,ÄÖÜäöüß\n`), "@%t", { autoCompress: false })
      const copy = (options: CopyOptions) =>
        ingestion.copyInto(
          CopyInto.table("t").pipe(
            CopyInto.from("@%t"),
            CopyInto.fileFormat(FileFormat.csv()),
            CopyInto.options({ ...options, force: true })
          )
        )
      for (const options of [{ truncateColumns: true }, { enforceLength: false }]) {
        yield* sf.execute("TRUNCATE TABLE t")
        const loaded = yield* copy(options)
        assert.strictEqual(loaded.results[0]?.status, "LOADED")
        const names = (yield* sf.execute("SELECT name FROM t ORDER BY id")).rows.map((r) => r.NAME)
        assert.deepStrictEqual(names, ["ÜÜÜÜÜ", "😀😀😀😀😀", "abcde", "ok", "ÄÖÜäö"])
      }
      // TRUNCATECOLUMNS = FALSE is the default: the load fails
      const strict = yield* Effect.flip(copy({ truncateColumns: false }))
      assert.strictEqual(strict.code, "100074")
    })
  )
})
