import { assert, describe, it } from "@effect/vitest"
import { literal, qualifiedName, quoteIdentifier, quoteIdentifierExact } from "../../src/sql/identifier.js"

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
})
