import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as CopyInto from "../../src/sql/CopyInto.js"
import * as FileFormat from "../../src/sql/FileFormat.js"

const sql = (copy: CopyInto.CopyInto) => Either.getOrThrow(CopyInto.render(copy))
const error = (copy: CopyInto.CopyInto) => {
  const result = CopyInto.render(copy)
  assert.isTrue(Either.isLeft(result))
  return Either.isLeft(result) ? result.left : undefined
}

describe("CopyInto rendering", () => {
  it("golden: CSV with options", () => {
    const copy = CopyInto.table("analytics.public.orders").pipe(
      CopyInto.from("@orders_stage/2026/11/"),
      CopyInto.pattern(".*[.]csv[.]gz"),
      CopyInto.fileFormat(
        FileFormat.csv({
          skipHeader: 1,
          fieldOptionallyEnclosedBy: '"',
          nullIf: ["", "NULL"],
          compression: "GZIP"
        })
      ),
      CopyInto.onError("SKIP_FILE_10%"),
      CopyInto.purge(true),
      CopyInto.force(false),
      CopyInto.sizeLimit(1000000)
    )
    assert.strictEqual(
      sql(copy),
      [
        "COPY INTO analytics.public.orders",
        "FROM @orders_stage/2026/11/",
        "PATTERN = '.*[.]csv[.]gz'",
        "FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '\"' NULL_IF = ('', 'NULL') COMPRESSION = GZIP)",
        "ON_ERROR = SKIP_FILE_10%",
        "SIZE_LIMIT = 1000000",
        "PURGE = TRUE",
        "FORCE = FALSE"
      ].join("\n")
    )
  })

  it("golden: column list, files, transform, JSON match by name, named format", () => {
    assert.strictEqual(
      sql(
        CopyInto.table(["db", "My Schema", "select"]).pipe(
          CopyInto.from("@%orders"),
          CopyInto.columns(["id", "Order Total"]),
          CopyInto.files(["a.csv.gz", "b.csv.gz"])
        )
      ),
      'COPY INTO db."My Schema"."select" (id, "Order Total")\nFROM @%orders\nFILES = (\'a.csv.gz\', \'b.csv.gz\')'
    )
    assert.strictEqual(
      sql(
        CopyInto.table("t").pipe(
          CopyInto.from("@s"),
          CopyInto.columns(["a", "b"]),
          CopyInto.select(["$1:id::number", "UPPER($1:name::string)", "METADATA$FILENAME"]),
          CopyInto.fileFormat(FileFormat.json({ stripOuterArray: true }))
        )
      ),
      "COPY INTO t (a, b)\nFROM (SELECT $1:id::number, UPPER($1:name::string), METADATA$FILENAME FROM @s)\nFILE_FORMAT = (TYPE = JSON STRIP_OUTER_ARRAY = TRUE)"
    )
    assert.strictEqual(
      sql(
        CopyInto.table("t").pipe(
          CopyInto.from("@s"),
          CopyInto.fileFormat(FileFormat.parquet()),
          CopyInto.matchByColumnName("CASE_INSENSITIVE")
        )
      ),
      "COPY INTO t\nFROM @s\nFILE_FORMAT = (TYPE = PARQUET)\nMATCH_BY_COLUMN_NAME = CASE_INSENSITIVE"
    )
    assert.strictEqual(
      sql(CopyInto.table("t").pipe(CopyInto.from("@s"), CopyInto.fileFormat(FileFormat.named("db.fmt-x")))),
      'COPY INTO t\nFROM @s\nFILE_FORMAT = (FORMAT_NAME = db."fmt-x")'
    )
  })

  it("quoted and qualified table names, exact column names", () => {
    const copy = CopyInto.table('other."My Table"').pipe(
      CopyInto.from('@other.%"My Table"/bulk_1/'),
      CopyInto.columnsExact(["ID", "lower", "Mixed Case"])
    )
    assert.strictEqual(
      sql(copy),
      'COPY INTO other."My Table" ("ID", "lower", "Mixed Case")\nFROM @other.%"My Table"/bulk_1/'
    )
    // columns() reads names as SQL does: bare ones resolve upper-case
    assert.include(sql(copy.pipe(CopyInto.columns(["id", "Mixed Case"]))), '(id, "Mixed Case")')
    assert.include(error(CopyInto.table("a..b").pipe(CopyInto.from("@s")))?.message ?? "", "Not a table name")
  })

  it("is immutable", () => {
    const base = CopyInto.table("t").pipe(CopyInto.from("@s"))
    const withPurge = base.pipe(CopyInto.purge(true))
    assert.strictEqual(base.options.purge, undefined)
    assert.strictEqual(withPurge.options.purge, true)
  })

  it("injection attempts are escaped or refused", () => {
    // string values: quotes and backslashes escaped
    const text = sql(
      CopyInto.table("t").pipe(
        CopyInto.from("@s"),
        CopyInto.files(["x'; DROP TABLE t; --"]),
        CopyInto.fileFormat(FileFormat.csv({ dateFormat: "YYYY\\'; DROP" }))
      )
    )
    assert.include(text, "FILES = ('x''; DROP TABLE t; --')")
    assert.include(text, "DATE_FORMAT = 'YYYY\\\\''; DROP'")
    // identifiers: quoted, inner quotes doubled
    assert.include(
      sql(CopyInto.table(['t"; DROP TABLE x; --']).pipe(CopyInto.from("@s"))),
      'COPY INTO "t""; DROP TABLE x; --"'
    )
    // stage references: an odd path is quoted whole, anything else after the name refused
    assert.include(sql(CopyInto.table("t").pipe(CopyInto.from("@s/*x*/"))), "FROM '@s/*x*/'")
    assert.include(
      sql(CopyInto.table("t").pipe(CopyInto.from("@s/it's -- here/"))),
      "FROM '@s/it''s -- here/'"
    )
    for (const stage of ["@s; DROP TABLE t", "@s' --", "@s x", "@s/a\nb"]) {
      assert.strictEqual(
        error(CopyInto.table("t").pipe(CopyInto.from(stage)))?._tag,
        "FileFormatError",
        stage
      )
    }
    // transforms: refused
    for (const expression of ["$1; DROP TABLE t", "$1 -- c", "'unterminated", "$1 /* x */"]) {
      assert.strictEqual(
        error(CopyInto.table("t").pipe(CopyInto.from("@s"), CopyInto.select([expression])))?._tag,
        "FileFormatError",
        expression
      )
    }
    // a semicolon inside a string literal of a transform is fine
    assert.include(
      sql(CopyInto.table("t").pipe(CopyInto.from("@s"), CopyInto.select(["SPLIT_PART($1, ';', 1)"]))),
      "SPLIT_PART($1, ';', 1)"
    )
  })
})

describe("file format options", () => {
  it("byte-order mark, invalid characters, time and binary formats, octal", () => {
    assert.strictEqual(
      FileFormat.render(
        FileFormat.csv({
          skipByteOrderMark: false,
          replaceInvalidCharacters: true,
          timeFormat: "HH24:MI",
          binaryFormat: "BASE64"
        })
      ),
      "TYPE = CSV SKIP_BYTE_ORDER_MARK = FALSE REPLACE_INVALID_CHARACTERS = TRUE TIME_FORMAT = 'HH24:MI' BINARY_FORMAT = BASE64"
    )
    assert.strictEqual(
      FileFormat.render(FileFormat.json({ enableOctal: true, binaryFormat: "HEX" })),
      "TYPE = JSON ENABLE_OCTAL = TRUE BINARY_FORMAT = HEX"
    )
    assert.isTrue(Either.isLeft(FileFormat.validate(FileFormat.csv({ binaryFormat: "BASE32" as never }))))
  })
})

describe("VALIDATION_MODE", () => {
  it("renders last, after the copy options", () => {
    const text = Either.getOrThrow(
      CopyInto.render(
        CopyInto.table("t").pipe(
          CopyInto.from("@s"),
          CopyInto.onError("CONTINUE"),
          CopyInto.validationMode("RETURN_10_ROWS")
        )
      )
    )
    assert.isTrue(text.endsWith("ON_ERROR = CONTINUE\nVALIDATION_MODE = RETURN_10_ROWS"), text)
  })
})

describe("validate", () => {
  const base = CopyInto.table("t").pipe(CopyInto.from("@s"))
  const cases: ReadonlyArray<readonly [string, CopyInto.CopyInto, string]> = [
    ["no source", CopyInto.table("t"), "source"],
    ["bad ON_ERROR", base.pipe(CopyInto.onError("SKIP_FILE_0" as never)), "ON_ERROR"],
    ["bad SIZE_LIMIT", base.pipe(CopyInto.sizeLimit(-1)), "SIZE_LIMIT"],
    ["zero rows to validate", base.pipe(CopyInto.validationMode("RETURN_0_ROWS")), "VALIDATION_MODE"],
    [
      "unknown VALIDATION_MODE",
      base.pipe(CopyInto.validationMode("RETURN_SOME" as never)),
      "VALIDATION_MODE"
    ],
    [
      "VALIDATION_MODE with a transform",
      base.pipe(CopyInto.select(["$1"]), CopyInto.validationMode("RETURN_ERRORS")),
      "VALIDATION_MODE"
    ],
    ["FILES and PATTERN", base.pipe(CopyInto.files(["a"]), CopyInto.pattern(".*")), "FILES and PATTERN"],
    ["too many FILES", base.pipe(CopyInto.files(Array.from({ length: 1001 }, (_, i) => `f${i}`))), "1000"],
    ["bad PATTERN", base.pipe(CopyInto.pattern("(")), "PATTERN"],
    [
      "negative SKIP_HEADER",
      base.pipe(CopyInto.fileFormat(FileFormat.csv({ skipHeader: -1 }))),
      "SKIP_HEADER"
    ],
    [
      "PARSE_HEADER + SKIP_HEADER",
      base.pipe(CopyInto.fileFormat(FileFormat.csv({ parseHeader: true, skipHeader: 1 }))),
      "PARSE_HEADER"
    ],
    [
      "parquet compression",
      base.pipe(CopyInto.fileFormat(FileFormat.parquet({ compression: "GZIP" as never }))),
      "COMPRESSION"
    ],
    [
      "unknown option",
      base.pipe(CopyInto.fileFormat(FileFormat.orc({ stripOuterArray: true } as never))),
      "STRIP_OUTER_ARRAY"
    ],
    [
      "enclosure of two characters",
      base.pipe(CopyInto.fileFormat(FileFormat.csv({ fieldOptionallyEnclosedBy: "''" }))),
      "ENCLOSED"
    ],
    [
      "match by name on CSV without header",
      base.pipe(CopyInto.fileFormat(FileFormat.csv()), CopyInto.matchByColumnName("CASE_SENSITIVE")),
      "PARSE_HEADER"
    ],
    [
      "match by name on XML",
      base.pipe(CopyInto.fileFormat(FileFormat.xml()), CopyInto.matchByColumnName("CASE_SENSITIVE")),
      "MATCH_BY_COLUMN_NAME"
    ],
    [
      "match by name with transform",
      base.pipe(CopyInto.select(["$1"]), CopyInto.matchByColumnName("CASE_SENSITIVE")),
      "transform"
    ]
  ]
  for (const [name, copy, fragment] of cases) {
    it(name, () => {
      const failure = error(copy)
      assert.strictEqual(failure?._tag, "FileFormatError")
      assert.include(failure?.message ?? "", fragment)
    })
  }
  it("valid statements pass", () => {
    assert.isTrue(
      Either.isRight(
        CopyInto.validate(
          base.pipe(
            CopyInto.fileFormat(FileFormat.csv({ parseHeader: true })),
            CopyInto.matchByColumnName("CASE_INSENSITIVE")
          )
        )
      )
    )
  })
})
