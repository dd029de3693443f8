import { assert, describe, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Schema from "effect/Schema"
import { compileRowDecoder, parseLosslessJson, uniqueKeys } from "../../../src/protocol/decode/index.js"
import { toPlainString } from "../../../src/protocol/values/decimal.js"
import { SnowflakeDate, SnowflakeTime, SnowflakeTimestamp } from "../../../src/protocol/values/index.js"
import { QueryResponseData, type RowTypeEntry } from "../../../src/protocol/wire/query.js"
import { fixture } from "../fixtures.js"

const col = (type: string, extra: Partial<RowTypeEntry> = {}): RowTypeEntry => ({ name: "C", type, ...extra })
const one = (entry: RowTypeEntry, cell: string | null, options = {}) =>
  compileRowDecoder([entry], options).toArray([cell])[0]

interface AssembledEntry {
  readonly type?: string
  readonly rowtype: RowTypeEntry
  readonly raw: string
  readonly resultVersion?: number
}

describe("compileRowDecoder", () => {
  it("decodes every v1 entry of the assembled type-encodings fixture", () => {
    const { entries } = fixture("type-encodings.ASSEMBLED-not-a-capture.json") as {
      entries: Array<AssembledEntry>
    }
    const decoded = new Map<string, unknown>()
    for (const entry of entries) {
      const rowtype = Schema.decodeUnknownSync(Schema.Array(Schema.Any))([
        entry.rowtype
      ]) as Array<RowTypeEntry>
      if (entry.resultVersion === 0 && entry.rowtype.type === "timestamp_tz") continue // legacy packed form
      decoded.set(`${entry.type}:${entry.raw}`, compileRowDecoder(rowtype).toArray([entry.raw])[0])
    }
    assert.strictEqual(decoded.get("fixed:123"), 123n) // precision 38 → bigint, deterministic per column
    assert.strictEqual(
      decoded.get("fixed:12345678901234567890123456789012345678"),
      12345678901234567890123456789012345678n
    )
    assert.isTrue(
      BigDecimal.equals(
        decoded.get("fixed (scale > 0):1.123456789123456789") as BigDecimal.BigDecimal,
        BigDecimal.unsafeFromString("1.123456789123456789")
      )
    )
    assert.strictEqual(decoded.get("real:123.456"), 123.456)
    assert.strictEqual(decoded.get("real:1.23456789012346e+37"), 1.23456789012346e37)
    assert.strictEqual(decoded.get("boolean:1"), true)
    assert.strictEqual(String(decoded.get("date:16821")), "2016-01-21")
    assert.strictEqual(String(decoded.get("date (before epoch):-923")), "1967-06-23")
    assert.strictEqual(String(decoded.get("time:45296.789789789")), "12:34:56.789789789")
    assert.strictEqual(
      String(decoded.get("timestamp_ltz:1453386764.000000000")),
      "2016-01-21T14:32:44.000000000Z"
    )
    assert.strictEqual(
      String(decoded.get("timestamp_ntz:1453357964.000000000")),
      "2016-01-21T06:32:44.000000000"
    )
    assert.strictEqual(
      String(decoded.get("timestamp_ntz (scale 3):1713279478.999")),
      "2024-04-16T14:57:58.999"
    )
    const tz = decoded.get("timestamp_tz (resultVersion >= 1, current servers):1453386764.000000000 960")
    assert.instanceOf(tz, SnowflakeTimestamp)
    assert.strictEqual(String(tz), "2016-01-21T06:32:44.000000000-08:00")
    assert.deepStrictEqual(
      decoded.get("binary:0123456789ABCDEF"),
      new Uint8Array([1, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef])
    )
    assert.deepStrictEqual(decoded.get('variant:{"key": "value"}'), { key: "value" })
    assert.deepStrictEqual(decoded.get("variant (non-strict JSON):[NaN, Infinity]"), [
      Number.NaN,
      Number.POSITIVE_INFINITY
    ])
  })

  it("decodes the boolean/date/fixed query fixture", () => {
    const envelope = fixture("query-success-boolean-date-fixed.nodejs-unitmock.json") as { data: unknown }
    const data = Schema.decodeUnknownSync(QueryResponseData)(envelope.data)
    const decoder = compileRowDecoder(data.rowtype!)
    const row = decoder.toObject(data.rowset![0]!)
    assert.deepStrictEqual(Object.keys(row), ["boolean", "date", "number"])
    assert.strictEqual(row.boolean, false)
    assert.instanceOf(row.date, SnowflakeDate)
    assert.strictEqual(String(row.date), "1967-06-23")
    assert.strictEqual(toPlainString(row.number as BigDecimal.BigDecimal), "1.123456789123456789")
    assert.deepStrictEqual(decoder.columns[2], {
      name: "number",
      type: "fixed",
      precision: 19,
      scale: 18,
      nullable: false,
      length: null
    })
  })

  describe("numbers", () => {
    it("precision decides number vs bigint, never the value", () => {
      assert.strictEqual(one(col("fixed", { precision: 15, scale: 0 }), "999999999999999"), 999999999999999)
      assert.strictEqual(one(col("fixed", { precision: 16, scale: 0 }), "1"), 1n)
      assert.strictEqual(
        one(col("fixed", { precision: 38, scale: 0 }), "9007199254740993"),
        9007199254740993n
      )
      assert.strictEqual(
        one(col("fixed", { precision: 38, scale: 0 }), "-99999999999999999999999999999999999999"),
        -99999999999999999999999999999999999999n
      )
      assert.strictEqual(one(col("fixed"), "7"), 7n) // unknown precision: lossless
    })

    it("scale > 0 is an exact BigDecimal, negatives and integers included", () => {
      const d = one(col("fixed", { precision: 38, scale: 2 }), "-0.05") as BigDecimal.BigDecimal
      assert.strictEqual(toPlainString(d), "-0.05")
      const big = one(col("fixed", { precision: 38, scale: 10 }), "1234567890123456789012345678.0123456789")
      assert.strictEqual(
        toPlainString(big as BigDecimal.BigDecimal),
        "1234567890123456789012345678.0123456789"
      )
      assert.strictEqual(toPlainString(one(col("fixed", { scale: 2 }), "12") as BigDecimal.BigDecimal), "12")
    })

    it("number and string modes", () => {
      const entry = col("fixed", { precision: 38, scale: 0 })
      assert.strictEqual(one(entry, "9007199254740993", { numbers: "number" }), 9007199254740992)
      assert.strictEqual(one(entry, "9007199254740993", { numbers: "string" }), "9007199254740993")
      assert.strictEqual(one(col("fixed", { scale: 3 }), "1.500", { numbers: "number" }), 1.5)
      assert.strictEqual(one(col("real"), "inf", { numbers: "string" }), "inf")
    })

    it("REAL specials", () => {
      assert.isNaN(one(col("real"), "NaN") as number)
      assert.isNaN(one(col("real"), "nan") as number)
      assert.strictEqual(one(col("real"), "inf"), Number.POSITIVE_INFINITY)
      assert.strictEqual(one(col("real"), "-inf"), Number.NEGATIVE_INFINITY)
      assert.strictEqual(one(col("real"), "Infinity"), Number.POSITIVE_INFINITY)
      assert.strictEqual(one(col("real"), "-Infinity"), Number.NEGATIVE_INFINITY)
      assert.strictEqual(one(col("real"), "-0"), -0)
      assert.strictEqual(one(col("real"), "1e-7"), 1e-7)
    })

    it("DECFLOAT keeps exponent forms exact", () => {
      const d = one(col("decfloat"), "1.5E+40") as BigDecimal.BigDecimal
      assert.isTrue(BigDecimal.equals(d, BigDecimal.make(15n, -39)))
    })
  })

  it("booleans", () => {
    for (const [cell, value] of [
      ["1", true],
      ["0", false],
      ["true", true],
      ["FALSE", false],
      ["True", true]
    ] as const) {
      assert.strictEqual(one(col("boolean"), cell), value, cell)
    }
  })

  describe("dates and times", () => {
    it("timestamp edge cases: -0.5 s, offsets +14:00 / -12:00, truncation", () => {
      const ltz = one(col("timestamp_ltz", { scale: 9 }), "-0.5") as SnowflakeTimestamp
      assert.strictEqual(ltz.seconds, -1)
      assert.strictEqual(ltz.nanos, 500_000_000)
      assert.strictEqual(ltz.toDate().getTime(), -500)
      const east = one(col("timestamp_tz", { scale: 0 }), "0 2280") as SnowflakeTimestamp
      assert.strictEqual(east.offsetMinutes, 840)
      assert.strictEqual(String(east), "1970-01-01T14:00:00+14:00")
      const west = one(col("timestamp_tz", { scale: 3 }), "-86400.250 720") as SnowflakeTimestamp
      assert.strictEqual(west.offsetMinutes, -720)
      assert.strictEqual(String(west), "1969-12-30T11:59:59.750-12:00")
      const truncated = one(col("timestamp_ntz", { scale: 9 }), "1.9999999999999") as SnowflakeTimestamp
      assert.strictEqual(truncated.nanos, 999_999_999)
      assert.strictEqual(truncated.seconds, 1)
    })

    it("pre-1970 dates", () => {
      assert.strictEqual(String(one(col("date"), "-719162")), "0001-01-01")
      assert.strictEqual(String(one(col("date"), "-1")), "1969-12-31")
    })

    it("TIME with and without fraction", () => {
      assert.strictEqual(String(one(col("time", { scale: 0 }), "45296")), "12:34:56")
      assert.instanceOf(one(col("time", { scale: 3 }), "0.001"), SnowflakeTime)
    })

    it("jsDate and string modes", () => {
      const date = one(col("date"), "16821", { dates: "jsDate" }) as Date
      assert.strictEqual(date.toISOString(), "2016-01-21T00:00:00.000Z")
      assert.strictEqual(one(col("date"), "16821", { dates: "string" }), "2016-01-21")
      const ts = one(col("timestamp_tz", { scale: 3 }), "1453386764.123 960", { dates: "jsDate" }) as Date
      assert.strictEqual(ts.getTime(), 1453386764123)
      assert.strictEqual(
        one(col("timestamp_tz", { scale: 3 }), "1453386764.123 960", { dates: "string" }),
        "2016-01-21T06:32:44.123-08:00"
      )
      assert.strictEqual(one(col("time", { scale: 0 }), "45296", { dates: "jsDate" }), "12:34:56")
    })
  })

  describe("JSON", () => {
    it("nested big integers in VARIANT become bigint, safe ones stay numbers", () => {
      const value = one(
        col("variant"),
        '{\n  "id": 12345678901234567890,\n  "n": [1, -9007199254740993, 2.5],\n  "s": "12345678901234567890"\n}'
      )
      assert.deepStrictEqual(value, {
        id: 12345678901234567890n,
        n: [1, -9007199254740993n, 2.5],
        s: "12345678901234567890"
      })
    })

    it("decimals a double cannot hold become BigDecimal as written; those it holds stay numbers", () => {
      const value = one(
        col("variant"),
        '{"a": 1234567890.123456789, "b": [0.1, 2.5e-7, 1.5e300, 0.30000000000000004, 123456789012345.6],' +
          ' "c": -12345678901234567890123456780.0123456789, "d": 1e400, "e": 9007199254740993.5}'
      ) as Record<string, unknown>
      const decimal = (text: string) => BigDecimal.unsafeFromString(text)
      // 0.30000000000000004 is exactly what the double prints: kept as a number
      assert.deepStrictEqual(value.b, [0.1, 2.5e-7, 1.5e300, 0.30000000000000004, 123456789012345.6])
      for (const [key, text] of [
        ["a", "1234567890.123456789"],
        ["c", "-12345678901234567890123456780.0123456789"],
        ["d", "1e400"],
        ["e", "9007199254740993.5"]
      ] as const) {
        const got = value[key]
        assert.isTrue(BigDecimal.isBigDecimal(got), key)
        assert.isTrue(BigDecimal.equals(got as BigDecimal.BigDecimal, decimal(text)), key)
      }
      assert.strictEqual(toPlainString(value.a as BigDecimal.BigDecimal), "1234567890.123456789")
      // the same cell without a 16-digit run takes JSON.parse's path and agrees
      assert.deepStrictEqual(parseLosslessJson("[0.1, 2.5]"), [0.1, 2.5])
    })

    it("non-strict tokens", () => {
      assert.deepStrictEqual(one(col("object"), '{"a": undefined, "b": NaN, "c": -Infinity}'), {
        a: undefined,
        b: Number.NaN,
        c: Number.NEGATIVE_INFINITY
      })
    })

    it("scalars, strings with escapes, __proto__ keys", () => {
      assert.strictEqual(one(col("variant"), '"s\\"\\u00e9"'), 's"é')
      assert.strictEqual(one(col("variant"), "42"), 42)
      const parsed = parseLosslessJson('{"__proto__": {"x": 12345678901234567890}}') as Record<
        string,
        unknown
      >
      assert.isTrue(Object.hasOwn(parsed, "__proto__"))
      assert.strictEqual(Object.getPrototypeOf(parsed), Object.prototype)
    })

    it("string mode leaves JSON text", () => {
      assert.strictEqual(one(col("array"), "[1]", { json: "string" }), "[1]")
    })

    it("malformed JSON is a RowDecodeError", () => {
      assert.throws(() => one(col("variant"), '{"a": 1'), /Cannot decode column "C" \(variant\)/)
      assert.throws(() => parseLosslessJson("[1, 2] x"))
      assert.throws(() => parseLosslessJson("[01]"))
    })
  })

  it("binary, text, unknown types and nulls", () => {
    assert.deepStrictEqual(one(col("binary"), "48656c6C6F"), new TextEncoder().encode("Hello"))
    assert.deepStrictEqual(one(col("binary"), ""), new Uint8Array(0))
    assert.strictEqual(one(col("text"), "héllo"), "héllo")
    assert.strictEqual(one(col("geography"), "POINT(1 2)"), "POINT(1 2)")
    assert.isNull(one(col("fixed", { precision: 1, scale: 0 }), null))
    assert.isNull(one(col("timestamp_tz"), null))
  })

  it("upper-case type names decode like lower-case ones", () => {
    assert.strictEqual(one(col("FIXED", { precision: 5, scale: 0 }), "5"), 5)
  })

  it("duplicate names get _2, _3 suffixes in object rows", () => {
    assert.deepStrictEqual(uniqueKeys(["A", "A", "B", "A", "A_2"]), ["A", "A_2", "B", "A_3", "A_2_2"])
    const decoder = compileRowDecoder([col("text", { name: "A" }), col("text", { name: "A" })])
    assert.deepStrictEqual(decoder.toObject(["x", "y"]), { A: "x", A_2: "y" })
  })

  it("a malformed cell throws RowDecodeError naming the column and a truncated value", () => {
    const decoder = compileRowDecoder([
      col("text", { name: "ok" }),
      col("fixed", { name: "AMOUNT", precision: 38, scale: 0 })
    ])
    try {
      decoder.toArray(["fine", `12x${"9".repeat(200)}`])
      assert.fail("should throw")
    } catch (error) {
      assert.strictEqual((error as { _tag: string })._tag, "RowDecodeError")
      const message = (error as Error).message
      assert.include(message, '"AMOUNT"')
      assert.include(message, "12x")
      assert.isBelow(message.length, 200)
    }
    for (const [type, cell] of [
      ["boolean", "yes"],
      ["date", "1.5"],
      ["real", "abc"],
      ["binary", "ABC"],
      ["binary", "ZZ"],
      ["timestamp_tz", "1453386764.0"],
      ["timestamp_tz", "1 9999"],
      ["time", "90000"],
      ["fixed", "1.5"]
    ] as const) {
      assert.throws(
        () => one(col(type, { precision: 38, scale: 0 }), cell),
        /RowDecodeError|Cannot decode/,
        `${type} ${cell}`
      )
    }
  })

  it("a row of the wrong width throws", () => {
    assert.throws(() => compileRowDecoder([col("text")]).toArray(["a", "b"]), /2 cells/)
  })
})
