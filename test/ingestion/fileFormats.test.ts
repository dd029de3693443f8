/**
 * Named file formats on the emulator: CREATE / SHOW / DROP FILE FORMAT, and COPY INTO using one
 * through the client's `FileFormat.named`, or through a stage created with it.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as CopyInto from "../../src/sql/CopyInto.js"
import * as FileFormat from "../../src/sql/FileFormat.js"
import { textFile as file, withStages } from "./support.js"

describe("named file formats (GCS stage, encrypted)", () => {
  it.scopedLive(
    "CREATE, SHOW, COPY INTO with FORMAT_NAME or a stage's format, DROP; a missing one is an error",
    () =>
      Effect.gen(function* () {
        const { stages, ingestion, sf } = yield* withStages("gcs")
        yield* sf.execute("CREATE TABLE orders (id NUMBER, customer VARCHAR)")
        const created = yield* sf.execute(
          "CREATE FILE FORMAT pipes TYPE = CSV FIELD_DELIMITER = '|' SKIP_HEADER = 1 COMMENT = 'pipe-separated'"
        )
        assert.deepStrictEqual(created.rows, [{ status: "File format PIPES successfully created." }])
        const again = yield* Effect.flip(sf.execute("CREATE FILE FORMAT pipes TYPE = CSV"))
        assert.include(again.message, "Object 'PIPES' already exists")
        yield* sf.execute("CREATE FILE FORMAT IF NOT EXISTS pipes TYPE = JSON")
        const shown = (yield* sf.execute("SHOW FILE FORMATS LIKE 'PIP%'")).rows
        assert.deepStrictEqual(
          shown.map((r) => [r.name, r.type, r.comment]),
          [["PIPES", "CSV", "pipe-separated"]]
        )
        assert.include(String(shown[0]?.format_options), '"FIELD_DELIMITER":"|"')

        // COPY with the named format
        yield* stages.put(file("a.csv", "id|customer\n1|ada\n2|grace\n"), "@%orders")
        const loaded = yield* ingestion.copyInto(
          CopyInto.table("orders").pipe(
            CopyInto.from("@%orders"),
            CopyInto.fileFormat(FileFormat.named("pipes"))
          )
        )
        assert.strictEqual(loaded.rowsLoaded, 2)
        // a stage created with it loads with it
        yield* sf.execute("CREATE STAGE piped FILE_FORMAT = pipes")
        yield* stages.put(file("b.csv", "id|customer\n3|linus\n"), "@piped")
        assert.strictEqual(
          (yield* ingestion.copyInto(CopyInto.table("orders").pipe(CopyInto.from("@piped")))).rowsLoaded,
          1
        )
        assert.deepStrictEqual(
          (yield* sf.execute("SELECT id, customer FROM orders ORDER BY id")).rows.map((r) => [
            r.ID,
            r.CUSTOMER
          ]),
          [
            [1n, "ada"],
            [2n, "grace"],
            [3n, "linus"]
          ]
        )

        yield* sf.execute("DROP FILE FORMAT pipes")
        const missing = yield* Effect.flip(
          ingestion.copyInto(
            CopyInto.table("orders").pipe(
              CopyInto.from("@%orders"),
              CopyInto.fileFormat(FileFormat.named("pipes")),
              CopyInto.force(true)
            )
          )
        )
        assert.include(
          missing.message,
          "File format 'EMULATOR.PUBLIC.PIPES' does not exist or not authorized."
        )
        yield* sf.execute("DROP FILE FORMAT IF EXISTS pipes")
        assert.deepStrictEqual((yield* sf.execute("SHOW FILE FORMATS")).rows, [])
      })
  )
})
