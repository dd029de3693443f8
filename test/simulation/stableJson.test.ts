import { assert, describe, it } from "@effect/vitest"
import * as StableJson from "../../src/simulation/stableJson.js"

describe("stableJson", () => {
  it("orders keys the same way whatever the insertion order", () => {
    const a = { zeta: 1, rows: [["1"]], request: { sql: "S", operation: "execute" }, alpha: [{ b: 1, a: 2 }] }
    const b = { alpha: [{ a: 2, b: 1 }], request: { operation: "execute", sql: "S" }, rows: [["1"]], zeta: 1 }
    assert.strictEqual(StableJson.stringify(a), StableJson.stringify(b))
    assert.strictEqual(StableJson.key(a), StableJson.key(b))
  })

  it("puts well-known keys first, rows last, and plain arrays and objects on one line", () => {
    const text = StableJson.stringify({
      rows: [["1", null]],
      other: { deep: { x: 1 } },
      queryId: "q",
      flat: { b: 2, a: "x" }
    })
    assert.strictEqual(
      text,
      '{\n  "queryId": "q",\n  "flat": {"a": "x", "b": 2},\n  "other": {\n    "deep": {"x": 1}\n  },\n  "rows": [\n    ["1", null]\n  ]\n}\n'
    )
    assert.deepStrictEqual(JSON.parse(text), {
      rows: [["1", null]],
      other: { deep: { x: 1 } },
      queryId: "q",
      flat: { b: 2, a: "x" }
    })
  })

  it("omits undefined fields", () => {
    assert.strictEqual(StableJson.key({ a: undefined, b: 1 }), '{"b":1}')
  })
})
