import { assert, describe, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import {
  encodeBatchBindings,
  encodeBindings,
  encodeNamedBindings,
  encodeQueryBindings,
  type WireBindings
} from "../../src/protocol/binds.js"
import { parseLosslessJson } from "../../src/protocol/decode/json.js"
import { SnowflakeDate, SnowflakeTime, SnowflakeTimestamp } from "../../src/protocol/values/index.js"
import * as Query from "../../src/sql/Query.js"

const ok = (
  result: Either.Either<WireBindings | undefined, { message: string }>
): WireBindings | undefined => {
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}
const single = (value: unknown) => ok(encodeBindings([value]))!["1"]
const failure = (
  result: Either.Either<unknown, { _tag: string; message: string }>
): { _tag: string; message: string } => {
  if (Either.isRight(result)) throw new Error("expected InvalidBinding")
  return result.left
}

describe("encodeBindings", () => {
  it("scalars", () => {
    assert.deepStrictEqual(single("a'b"), { type: "TEXT", value: "a'b" })
    assert.deepStrictEqual(single(42), { type: "FIXED", value: "42" })
    assert.deepStrictEqual(single(-0), { type: "FIXED", value: "0" })
    assert.deepStrictEqual(single(1e21), { type: "FIXED", value: "1000000000000000000000" })
    assert.deepStrictEqual(single(1.5), { type: "REAL", value: "1.5" })
    assert.deepStrictEqual(single(Number.NaN), { type: "REAL", value: "NaN" })
    assert.deepStrictEqual(single(Number.POSITIVE_INFINITY), { type: "REAL", value: "inf" })
    assert.deepStrictEqual(single(Number.NEGATIVE_INFINITY), { type: "REAL", value: "-inf" })
    assert.deepStrictEqual(single(12345678901234567890123n), {
      type: "FIXED",
      value: "12345678901234567890123"
    })
    assert.deepStrictEqual(single(true), { type: "BOOLEAN", value: "true" })
    assert.deepStrictEqual(single(false), { type: "BOOLEAN", value: "false" })
    assert.deepStrictEqual(single(BigDecimal.make(-5n, 2)), { type: "FIXED", value: "-0.05" })
    assert.deepStrictEqual(single(null), { type: "TEXT", value: null })
    assert.deepStrictEqual(single(undefined), { type: "TEXT", value: null })
    assert.deepStrictEqual(single(new Uint8Array([0, 0xab, 0x1f])), { type: "BINARY", value: "00AB1F" })
  })

  it("dates and times", () => {
    assert.deepStrictEqual(single(new Date(-500)), { type: "TIMESTAMP_LTZ", value: "-500000000" })
    assert.deepStrictEqual(single(DateTime.unsafeMake(1453386764123)), {
      type: "TIMESTAMP_LTZ",
      value: "1453386764123000000"
    })
    const zoned = DateTime.unsafeMakeZoned(1453386764000, {
      timeZone: DateTime.zoneMakeOffset(-8 * 3_600_000)
    })
    assert.deepStrictEqual(single(zoned), { type: "TIMESTAMP_TZ", value: "1453386764000000000 960" })
    assert.deepStrictEqual(single(new SnowflakeDate(-923)), {
      type: "DATE",
      value: String(-923 * 86_400_000)
    })
    assert.deepStrictEqual(single(new SnowflakeTime(45296789789789)), {
      type: "TIME",
      value: "45296789789789"
    })
    assert.deepStrictEqual(single(new SnowflakeTimestamp("ntz", 1, 5)), {
      type: "TIMESTAMP_NTZ",
      value: "1000000005"
    })
    assert.deepStrictEqual(single(new SnowflakeTimestamp("tz", -1, 500_000_000, 840)), {
      type: "TIMESTAMP_TZ",
      value: "-500000000 2280"
    })
  })

  it("objects and arrays are VARIANT JSON with exact bigints", () => {
    const binding = single({
      id: 12345678901234567890n,
      tags: ["a", 1, null],
      skip: undefined,
      d: BigDecimal.make(15n, 1)
    })
    assert.strictEqual(binding?.type, "VARIANT")
    assert.strictEqual(binding?.value, '{"id":12345678901234567890,"tags":["a",1,null],"d":1.5}')
    assert.deepStrictEqual(parseLosslessJson(binding?.value as string), {
      id: 12345678901234567890n,
      tags: ["a", 1, null],
      d: 1.5
    })
    assert.deepStrictEqual(single([1, [2]]), { type: "VARIANT", value: "[1,[2]]" })
  })

  it("keys positional parameters 1, 2, …", () => {
    assert.deepStrictEqual(Object.keys(ok(encodeBindings(["a", 1, null]))!), ["1", "2", "3"])
  })

  it("named bindings", () => {
    assert.deepStrictEqual(ok(encodeNamedBindings({ day: "2026-11-01", n: 3 })), {
      day: { type: "TEXT", value: "2026-11-01" },
      n: { type: "FIXED", value: "3" }
    })
  })

  it("rejects unsupported values, naming the parameter and the kind", () => {
    class Custom {}
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const cases: ReadonlyArray<readonly [unknown, RegExp]> = [
      [() => 1, /parameter 2: a value of kind function/],
      [Symbol("s"), /parameter 2: a value of kind symbol/],
      [new Custom(), /parameter 2: a value of kind Custom instance/],
      [new Map(), /kind Map instance/],
      [cyclic, /cyclic structure at \$\.self/],
      [{ f: () => 1 }, /kind function at \$\.f/],
      [{ n: Number.NaN }, /non-finite number at \$\.n/],
      [new Date(Number.NaN), /invalid Date/]
    ]
    for (const [value, pattern] of cases) {
      const error = failure(encodeBindings(["ok", value]))
      assert.strictEqual(error._tag, "InvalidBinding")
      assert.match(error.message, pattern)
    }
    assert.match(failure(encodeNamedBindings({ when: () => 1 })).message, /parameter when/)
  })
})

describe("encodeBatchBindings", () => {
  it("turns rows into typed columns", () => {
    assert.deepStrictEqual(
      ok(
        encodeBatchBindings([
          [1, "a", null],
          [2, null, null],
          [3, "c", null]
        ])
      ),
      {
        "1": { type: "FIXED", value: ["1", "2", "3"] },
        "2": { type: "TEXT", value: ["a", null, "c"] },
        "3": { type: "TEXT", value: [null, null, null] }
      }
    )
  })

  it("rejects mixed types, ragged rows and empty batches", () => {
    assert.match(
      failure(encodeBatchBindings([[1], ["x"]])).message,
      /parameter 1 \(row 2\): TEXT value in a FIXED column/
    )
    assert.match(failure(encodeBatchBindings([[1, 2], [3]])).message, /row 2: expected 2 values, got 1/)
    assert.match(failure(encodeBatchBindings([])).message, /empty batch/)
  })
})

describe("encodeQueryBindings", () => {
  it("follows the query's binding kind", () => {
    assert.isUndefined(ok(encodeQueryBindings(Query.make("x").bindings)))
    assert.deepStrictEqual(ok(encodeQueryBindings(Query.make("x").pipe(Query.bind(1)).bindings)), {
      "1": { type: "FIXED", value: "1" }
    })
    assert.deepStrictEqual(
      ok(encodeQueryBindings(Query.make("x").pipe(Query.bindNamed({ a: true })).bindings)),
      {
        a: { type: "BOOLEAN", value: "true" }
      }
    )
    assert.deepStrictEqual(
      ok(encodeQueryBindings(Query.make("x").pipe(Query.bindBatch([[1], [2]])).bindings)),
      {
        "1": { type: "FIXED", value: ["1", "2"] }
      }
    )
  })
})
