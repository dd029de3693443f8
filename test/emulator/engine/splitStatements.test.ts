import { assert, describe, it } from "@effect/vitest"
import { splitStatements } from "../../../src/emulator/engine/index.js"

describe("splitStatements", () => {
  it("splits on semicolons outside strings, identifiers, comments and $$ bodies", () => {
    assert.deepStrictEqual(
      splitStatements(`select 'a;b'; select "x;y" from t -- c;
; /* ; */ select $$ ; $$;;  `),
      ["select 'a;b'", 'select "x;y" from t -- c;', "/* ; */ select $$ ; $$"]
    )
  })
  it("keeps escaped quotes inside strings", () => {
    assert.deepStrictEqual(splitStatements("select 'it''s; \\' ok'; select 2"), [
      "select 'it''s; \\' ok'",
      "select 2"
    ])
  })
})

describe("lexer: bind markers vs path access", () => {
  it("`:name` after a keyword or operator is a marker, after an operand it is a path", async () => {
    const { tokenize } = await import("../../../src/emulator/engine/lexer.js")
    const binds = (sql: string) =>
      tokenize(sql)
        .filter((t) => t.kind === "bind")
        .map((t) => t.text)
    assert.deepStrictEqual(binds("select :name, v:a, x = :1, ? from t where a = :b and c::int = 1"), [
      ":name",
      ":1",
      "?",
      ":b"
    ])
  })
})
