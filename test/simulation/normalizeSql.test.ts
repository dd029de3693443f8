import { assert, describe, it } from "@effect/vitest"
import { normalizeSql } from "../../src/simulation/normalizeSql.js"

describe("normalizeSql", () => {
  it("collapses whitespace, drops comments and upper-cases keywords and unquoted names", () => {
    assert.strictEqual(
      normalizeSql("select  a,\n\tb -- trailing\nfrom /* block\ncomment */ t // slashes\n where a<=1 ;;"),
      "SELECT A, B FROM T WHERE A <= 1"
    )
    assert.strictEqual(normalizeSql("SELECT count ( * ) FROM t"), normalizeSql("select COUNT(*) from T"))
    assert.strictEqual(
      normalizeSql("select x::number(10 , 2) from db . sch . t"),
      "SELECT X::NUMBER(10, 2) FROM DB.SCH.T"
    )
  })

  it("keeps string literals and quoted identifiers byte for byte", () => {
    assert.strictEqual(
      normalizeSql(`select 'It''s  -- not a comment' as "Mixed  Case", $$ raw  text $$ from "t"`),
      `SELECT 'It''s  -- not a comment' AS "Mixed  Case", $$ raw  text $$ FROM "t"`
    )
    assert.notStrictEqual(normalizeSql("select 'a  b'"), normalizeSql("select 'a b'"))
    assert.notStrictEqual(normalizeSql('select "a"'), normalizeSql('select "A"'))
    assert.strictEqual(normalizeSql("select 'a\\'b  c'"), "SELECT 'a\\'b  c'")
  })

  it("keeps numbers and bind markers as written", () => {
    assert.strictEqual(
      normalizeSql("select 1.50, 1e-5 where a = ? and b = :1"),
      "SELECT 1.50, 1e-5 WHERE A = ? AND B = :1"
    )
    assert.notStrictEqual(normalizeSql("select 1.5"), normalizeSql("select 1.50"))
  })

  it("spells a stage reference as one token: names upper-case, paths exact", () => {
    assert.strictEqual(
      normalizeSql("copy into t from @my_db.sch.landing/Day1/ file_format = (type = csv)"),
      "COPY INTO T FROM @MY_DB.SCH.LANDING/Day1/ FILE_FORMAT = (TYPE = CSV)"
    )
    assert.strictEqual(normalizeSql("list @%orders"), "LIST @%ORDERS")
    assert.strictEqual(normalizeSql('list @"My Stage"/x;'), 'LIST @"My Stage"/x')
    assert.notStrictEqual(normalizeSql("list @s/day1"), normalizeSql("list @s/DAY1"))
    assert.strictEqual(normalizeSql("list @s/day1"), normalizeSql("LIST @S/day1"))
  })
})
