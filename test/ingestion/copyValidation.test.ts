/**
 * COPY INTO … VALIDATION_MODE on the emulator, through `Ingestion.validate` and `Ingestion.preview`:
 * the files are checked as a load would check them and nothing is loaded, purged or remembered.
 */
import { assert, describe, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as CopyInto from "../../src/sql/CopyInto.js"
import * as FileFormat from "../../src/sql/FileFormat.js"
import { textFile as file, withStages } from "./support.js"

const csvRows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `${from + i},row ${from + i}\n`).join("")

const count = (sf: {
  execute: (sql: string) => Effect.Effect<{ rows: ReadonlyArray<Record<string, unknown>> }, unknown>
}) => Effect.map(sf.execute("SELECT COUNT(*) AS n FROM t"), (r) => Number(r.rows[0]!.N))

const copyOf = (format = FileFormat.csv()) =>
  CopyInto.table("t").pipe(CopyInto.from("@%t"), CopyInto.fileFormat(format))

/** A file whose 4th record has a bad number and whose 5th has a field too many. */
const badCsv = `${csvRows(20, 3)}x,ünï\n23,a,b\n${csvRows(24, 2)}`

const failure = <A, E>(exit: Exit.Exit<A, E>) => {
  assert.isTrue(Exit.isFailure(exit))
  return Exit.isFailure(exit) ? String(JSON.stringify(exit.cause)) : ""
}

describe("COPY INTO VALIDATION_MODE (local stage)", () => {
  it.scopedLive(
    "validate returns every error with where it is, and loads, purges and remembers nothing",
    () =>
      Effect.gen(function* () {
        const { stages, ingestion, sf } = yield* withStages("local")
        yield* sf.execute("CREATE TABLE t (id NUMBER, label VARCHAR)")
        yield* stages.put(file("a_good.csv", csvRows(1, 10)), "@%t", { autoCompress: false })
        yield* stages.put(file("b_bad.csv", badCsv), "@%t", { autoCompress: false })
        const errors = yield* ingestion.validate(copyOf().pipe(CopyInto.purge(true)))
        assert.deepStrictEqual(
          errors.map((e) => [e.file, e.category, e.code, e.line, e.character, e.rowNumber, e.rowStartLine]),
          [
            ["b_bad.csv", "conversion", "100038", 4, 1, 4, 4],
            ["b_bad.csv", "parsing", "100080", 5, 1, 5, 5]
          ]
        )
        const [conversion, parsing] = errors
        assert.strictEqual(conversion!.error, "Numeric value 'x' is not recognized")
        assert.strictEqual(conversion!.columnName, '"T"["ID":1]')
        assert.strictEqual(conversion!.sqlState, "22018")
        assert.strictEqual(conversion!.rejectedRecord, "x,ünï")
        // three lines of 10 bytes before it
        assert.strictEqual(conversion!.byteOffset, 30)
        assert.match(parsing!.error, /^Number of columns in file \(3\) does not match/)
        assert.strictEqual(parsing!.rejectedRecord, "23,a,b")
        // "x,ünï\n" is 8 bytes: ü and ï take two each
        assert.strictEqual(parsing!.byteOffset, 38)
        assert.isUndefined(parsing!.columnName)

        assert.strictEqual(yield* count(sf), 0)
        assert.strictEqual((yield* stages.list("@%t")).length, 2)
        // not in the load history: a load afterwards takes both files
        const loaded = yield* ingestion.copyInto(copyOf().pipe(CopyInto.onError("CONTINUE")))
        assert.strictEqual(loaded.rowsLoaded, 15)
      })
  )

  it.scopedLive(
    "validate is empty when every file would load; RETURN_ALL_ERRORS reads partly loaded files again",
    () =>
      Effect.gen(function* () {
        const { stages, ingestion, sf } = yield* withStages("local")
        yield* sf.execute("CREATE TABLE t (id NUMBER, label VARCHAR)")
        yield* stages.put(file("good.csv", csvRows(1, 5)), "@%t", { autoCompress: false })
        assert.deepStrictEqual(yield* ingestion.validate(copyOf()), [])
        yield* stages.put(file("bad.csv", badCsv), "@%t", { autoCompress: false })
        yield* ingestion.copyInto(copyOf().pipe(CopyInto.onError("CONTINUE")))
        assert.strictEqual(yield* count(sf), 10)
        // both files are in the load history now; bad.csv only in part
        assert.deepStrictEqual(yield* ingestion.validate(copyOf()), [])
        const all = yield* ingestion.validate(copyOf(), { all: true })
        assert.deepStrictEqual(
          all.map((e) => [e.file, e.line]),
          [
            ["bad.csv", 4],
            ["bad.csv", 5]
          ]
        )
      })
  )

  it.scopedLive("validate reports JSON records that do not parse and values that do not convert", () =>
    Effect.gen(function* () {
      const { stages, ingestion, sf } = yield* withStages("local")
      yield* sf.execute("CREATE TABLE t (id NUMBER, label VARCHAR)")
      const lines = [
        '{"id": 1, "label": "a"}',
        '{"id": 2, "label": ',
        '{"id": "two", "label": "c"}',
        '{"id": 4}'
      ]
      yield* stages.put(file("rows.json", `${lines.join("\n")}\n`), "@%t", { autoCompress: false })
      const errors = yield* ingestion.validate(
        copyOf(FileFormat.json()).pipe(CopyInto.matchByColumnName("CASE_INSENSITIVE"))
      )
      assert.deepStrictEqual(
        errors.map((e) => [e.category, e.line, e.rowNumber, e.rejectedRecord]),
        [
          ["parsing", 2, 2, lines[1]],
          ["conversion", 3, 3, lines[2]]
        ]
      )
      assert.strictEqual(errors[1]!.error, "Numeric value 'two' is not recognized")
      assert.strictEqual(yield* count(sf), 0)
    })
  )

  it.scopedLive("preview answers the first n rows typed as the table's columns, across files", () =>
    Effect.gen(function* () {
      const { stages, ingestion, sf } = yield* withStages("local")
      yield* sf.execute("CREATE TABLE t (id NUMBER, amount NUMBER(10,2), label VARCHAR)")
      yield* stages.put(file("a.csv", "1,1.50,one\n2,2.25,two\n"), "@%t", { autoCompress: false })
      yield* stages.put(file("b.csv", "3,3,three\n4,x,four\n"), "@%t", { autoCompress: false })
      const preview = yield* ingestion.preview(copyOf(), 3)
      assert.deepStrictEqual(
        preview.columns.map((c) => [c.name, c.type, c.scale]),
        [
          ["ID", "fixed", 0],
          ["AMOUNT", "fixed", 2],
          ["LABEL", "text", null]
        ]
      )
      assert.deepStrictEqual(
        preview.rows.map((r) => [
          String(r.ID),
          BigDecimal.format(r.AMOUNT as BigDecimal.BigDecimal),
          r.LABEL
        ]),
        [
          ["1", "1.5", "one"],
          ["2", "2.25", "two"],
          ["3", "3", "three"]
        ]
      )
      // the 4th row has an error: asking for it fails with that error, in the load's words
      const exit = yield* Effect.exit(ingestion.preview(copyOf(), 4))
      const cause = failure(exit)
      assert.include(cause, "Numeric value 'x' is not recognized")
      assert.include(cause, "File 'b.csv', line 2, character 3")
      assert.strictEqual(yield* count(sf), 0)
      assert.strictEqual((yield* stages.list("@%t")).length, 2)
    })
  )

  it.scopedLive(
    "Row n counts records, not lines: a header skipped and a field over two lines before it",
    () =>
      Effect.gen(function* () {
        const { stages, ingestion, sf } = yield* withStages("local")
        yield* sf.execute("CREATE TABLE t (id NUMBER, label VARCHAR)")
        // line 1 header, record 1 on lines 2-3, record 2 on line 4, record 3 (bad) on line 5
        yield* stages.put(file("multi.csv", 'id,label\n1,"two\nlines"\n2,b\nx,c\n'), "@%t", {
          autoCompress: false
        })
        const copy = copyOf(FileFormat.csv({ skipHeader: 1, fieldOptionallyEnclosedBy: '"' }))
        const error = yield* Effect.flip(ingestion.copyInto(copy))
        assert.include(error.message, "File 'multi.csv', line 5, character 1")
        assert.include(error.message, 'Row 3, column "T"["ID":1]')
        const errors = yield* ingestion.validate(copy)
        assert.deepStrictEqual(
          errors.map((e) => [e.line, e.rowNumber]),
          [[5, 3]]
        )
      })
  )

  it.scopedLive("a byte-order mark is skipped unless SKIP_BYTE_ORDER_MARK = FALSE", () =>
    Effect.gen(function* () {
      const { stages, ingestion, sf } = yield* withStages("local")
      yield* sf.execute("CREATE TABLE t (id NUMBER, label VARCHAR)")
      yield* stages.put(file("bom.csv", "\uFEFF5,a\n6,b\n"), "@%t", { autoCompress: false })
      assert.deepStrictEqual(yield* ingestion.validate(copyOf()), [])
      const kept = yield* ingestion.validate(copyOf(FileFormat.csv({ skipByteOrderMark: false })))
      // the first value keeps the mark, and is no number
      assert.deepStrictEqual(
        kept.map((e) => [e.line, e.code]),
        [[1, "100038"]]
      )
      const loaded = yield* ingestion.copyInto(copyOf())
      assert.strictEqual(loaded.rowsLoaded, 2)
      const ids = yield* sf.execute("SELECT SUM(id) AS s FROM t")
      assert.strictEqual(Number(ids.rows[0]!.S), 11)
    })
  )

  it.scopedLive("preview and validate refuse what Snowflake refuses", () =>
    Effect.gen(function* () {
      const { stages, ingestion, sf } = yield* withStages("local")
      yield* sf.execute("CREATE TABLE t (id NUMBER, label VARCHAR)")
      yield* stages.put(file("a.csv", csvRows(1, 2)), "@%t", { autoCompress: false })
      // a transform is not validated: refused by the builder before any request …
      const transformed = CopyInto.table("t").pipe(CopyInto.from("@%t"), CopyInto.select(["$1", "$2"]))
      const built = yield* Effect.flip(ingestion.validate(transformed))
      assert.strictEqual(built._tag, "FileFormatError")
      // … and by the emulator, in Snowflake's words, when the SQL is written by hand
      const raw = yield* Effect.flip(
        sf.execute("COPY INTO t FROM (SELECT $1, $2 FROM @%t) VALIDATION_MODE = RETURN_ERRORS")
      )
      assert.include(raw.message, "VALIDATION_MODE does not support COPY statements that transform data")
      const badMode = yield* Effect.flip(sf.execute("COPY INTO t FROM @%t VALIDATION_MODE = RETURN_0_ROWS"))
      assert.include(badMode.message, "VALIDATION_MODE")
      // copyInto loads: a validation mode there is a mistake, said before anything is sent
      const mixed = yield* Effect.flip(
        ingestion.copyInto(copyOf().pipe(CopyInto.validationMode("RETURN_ERRORS")))
      )
      assert.strictEqual(mixed._tag, "FileFormatError")
      assert.include(mixed.message, "Ingestion.validate")
      const zero = yield* Effect.flip(ingestion.preview(copyOf(), 0))
      assert.strictEqual(zero._tag, "FileFormatError")
      assert.strictEqual(yield* count(sf), 0)
    })
  )
})
