import { assert, describe, it } from "@effect/vitest"
import type { Request } from "../../src/simulation/Cassette.js"
import * as Diff from "../../src/simulation/diff.js"

const execute = (sql: string, extra: Partial<Request> = {}): Request => ({
  operation: "execute",
  sql,
  ...extra
})

describe("diff", () => {
  it("similarity is 1 for equal texts and low for unrelated ones", () => {
    assert.strictEqual(Diff.sqlSimilarity("SELECT A FROM T", "SELECT A FROM T"), 1)
    assert.isAbove(Diff.sqlSimilarity("SELECT A FROM T WHERE X = 1", "SELECT A FROM T WHERE X = 2"), 0.8)
    assert.isBelow(Diff.sqlSimilarity("SELECT A FROM T", "SHOW WAREHOUSES"), Diff.RESEMBLANCE)
  })

  it("picks the most similar recording of the same operation and lists the differing fields", () => {
    const recorded = [
      execute("SELECT A FROM T WHERE X = ?", { bindings: { "1": { type: "FIXED", value: "1" } } }),
      { ...execute("SELECT A FROM T WHERE X = ?"), operation: "stream" as const },
      execute("SELECT B FROM U")
    ]
    const miss = Diff.closest(
      execute("SELECT A FROM T WHERE X = ?", { bindings: { "1": { type: "TEXT", value: "1" } } }),
      recorded
    )
    assert.isDefined(miss)
    assert.strictEqual(miss!.index, 0)
    assert.deepStrictEqual(miss!.differences, [
      { field: "bindings.1.type", recorded: '"FIXED"', requested: '"TEXT"' }
    ])
    assert.include(Diff.describe(miss!), 'bindings.1.type: recorded "FIXED", requested "TEXT"')
    assert.include(Diff.describe(miss!), "interaction #1")
  })

  it("nothing resembles a request of another operation or unrelated SQL", () => {
    assert.isUndefined(Diff.closest(execute("SHOW WAREHOUSES"), [execute("SELECT A FROM T WHERE X = 1")]))
    assert.isUndefined(
      Diff.closest({ operation: "submit", sql: "SELECT 1" }, [execute("SELECT 1", { describeOnly: true })])
    )
  })

  it("absent fields are named as absent", () => {
    const miss = Diff.closest(execute("SELECT 1", { describeOnly: true }), [execute("SELECT 1")])
    assert.include(Diff.describe(miss!), "describeOnly: recorded (absent), requested true")
  })
})
