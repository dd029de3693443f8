import { assert, describe, it } from "@effect/vitest"
import {
  literal,
  nameParts,
  qualifiedName,
  quoteIdentifier,
  quoteIdentifierExact,
  sqlName
} from "../../src/sql/identifier.js"
import { stageReference, tableStage } from "../../src/sql/stage.js"

describe("identifier", () => {
  it("leaves safe unreserved identifiers as they are", () => {
    assert.strictEqual(quoteIdentifier("orders"), "orders")
    assert.strictEqual(quoteIdentifier("_a$1"), "_a$1")
  })

  it("quotes reserved words, odd characters and leading digits", () => {
    assert.strictEqual(quoteIdentifier("select"), '"select"')
    assert.strictEqual(quoteIdentifier("TABLE"), '"TABLE"')
    assert.strictEqual(quoteIdentifier("my table"), '"my table"')
    assert.strictEqual(quoteIdentifier("1abc"), '"1abc"')
    assert.strictEqual(quoteIdentifier('we"ird'), '"we""ird"')
    assert.strictEqual(quoteIdentifier(""), '""')
    assert.strictEqual(quoteIdentifier("$a"), '"$a"')
  })

  it("exact quoting and qualified names", () => {
    assert.strictEqual(quoteIdentifierExact("Orders"), '"Orders"')
    assert.strictEqual(qualifiedName("db", "my schema", "t"), 'db."my schema".t')
  })

  it("string literals double quotes and escape backslashes", () => {
    assert.strictEqual(literal("it's"), "'it''s'")
    assert.strictEqual(literal("a\\b"), "'a\\\\b'")
    assert.strictEqual(literal("\\'"), "'\\\\'''")
  })

  it("object names as SQL writes them: quoted parts kept, dots inside quotes do not split", () => {
    assert.deepStrictEqual(nameParts("orders"), ["orders"])
    assert.deepStrictEqual(nameParts('other."My Table"'), ["other", '"My Table"'])
    assert.deepStrictEqual(nameParts('"a.b"."c""d".e'), ['"a.b"', '"c""d"', "e"])
    assert.deepStrictEqual(nameParts('db . "lower"'), ["db", '"lower"'])
    // bare parts are quoted where needed, as before; an array holds the names themselves
    assert.deepStrictEqual(nameParts("other.My Table"), ["other", '"My Table"'])
    assert.deepStrictEqual(nameParts(["db", "My Table"]), ["db", '"My Table"'])
    // a stray quote is not a quoted part: it is quoted, inner quote doubled, never passed through
    assert.deepStrictEqual(nameParts('bad"name'), ['"bad""name"'])
    assert.strictEqual(sqlName('db.other."My Table"'), 'db.other."My Table"')
  })

  it("table stages of qualified and quoted tables are valid stage references", () => {
    assert.strictEqual(tableStage("orders"), "@%orders")
    assert.strictEqual(tableStage('other."My Table"'), '@other.%"My Table"')
    assert.strictEqual(tableStage(["db", "s", "t"]), "@db.s.%t")
    for (const ok of ['@other.%"My Table"/bulk_1/', "@db.s.%t", "@%t/x", "@db.s.stage/p"])
      assert.isTrue(stageReference(ok)._tag === "Right", ok)
    for (const bad of ["@%a.%b", "@a.b.c.%d", "@%", "@a.%"])
      assert.isTrue(stageReference(bad)._tag === "Left", bad)
  })
})
