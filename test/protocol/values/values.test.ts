import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Equal from "effect/Equal"
import {
  civilFromDays,
  daysFromCivil,
  parseDecimalSeconds,
  parsed
} from "../../../src/protocol/values/calendar.js"
import { SnowflakeDate, SnowflakeTime, SnowflakeTimestamp } from "../../../src/protocol/values/index.js"

describe("calendar", () => {
  it("civilFromDays and daysFromCivil agree with Date over a wide range", () => {
    for (let days = -800_000; days <= 800_000; days += 997) {
      const iso = new Date(days * 86_400_000).toISOString().slice(0, 10)
      const { year, month, day } = civilFromDays(days)
      if (year >= 0 && year <= 9999) {
        assert.strictEqual(
          `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
          iso
        )
      }
      assert.strictEqual(daysFromCivil(year, month, day), days)
    }
  })

  it("parseDecimalSeconds floors negatives and truncates extra digits", () => {
    const check = (text: string, seconds: number, nanos: number) => {
      assert.isTrue(parseDecimalSeconds(text, 0, text.length), text)
      assert.deepStrictEqual({ ...parsed }, { seconds, nanos }, text)
    }
    check("1453357964.123456789", 1453357964, 123456789)
    check("-0.5", -1, 500_000_000)
    check("-1.5", -2, 500_000_000)
    check("-2", -2, 0)
    check("0.0000000019", 0, 1)
    check("1.9999999999", 1, 999_999_999)
    check("45296", 45296, 0)
    for (const bad of ["", "-", "1.", "a", "1.2.3", "1e5", " 1", "1234567890123456"]) {
      assert.isFalse(parseDecimalSeconds(bad, 0, bad.length), bad)
    }
  })
})

describe("SnowflakeDate", () => {
  it("formats days since epoch, before 1970 too", () => {
    assert.strictEqual(new SnowflakeDate(16821).toString(), "2016-01-21")
    assert.strictEqual(new SnowflakeDate(-923).toString(), "1967-06-23")
    assert.strictEqual(new SnowflakeDate(0).toString(), "1970-01-01")
    assert.strictEqual(SnowflakeDate.fromYmd(1, 1, 1).toString(), "0001-01-01")
    assert.strictEqual(SnowflakeDate.fromYmd(9999, 12, 31).toString(), "9999-12-31")
    assert.strictEqual(JSON.stringify({ d: new SnowflakeDate(-923) }), '{"d":"1967-06-23"}')
  })

  it("converts to DateTime and Date at UTC midnight", () => {
    assert.strictEqual(DateTime.formatIso(new SnowflakeDate(16821).toDateTime()), "2016-01-21T00:00:00.000Z")
    assert.strictEqual(new SnowflakeDate(-923).toDate().toISOString(), "1967-06-23T00:00:00.000Z")
    assert.isTrue(Equal.equals(new SnowflakeDate(5), SnowflakeDate.fromDate(new Date(5 * 86_400_000 + 1000))))
  })
})

describe("SnowflakeTime", () => {
  it("formats to the column scale", () => {
    const t = new SnowflakeTime(45296 * 1e9 + 789789789, 9)
    assert.strictEqual(t.toString(), "12:34:56.789789789")
    assert.strictEqual(new SnowflakeTime(45296 * 1e9 + 789789789, 3).toString(), "12:34:56.789")
    assert.strictEqual(new SnowflakeTime(45296 * 1e9, 0).toString(), "12:34:56")
    assert.strictEqual(t.nanos, 45296789789789n)
    assert.deepStrictEqual([t.hours, t.minutes, t.seconds, t.nanosecond], [12, 34, 56, 789789789])
  })
})

describe("SnowflakeTimestamp", () => {
  it("NTZ renders the wall clock without offset", () => {
    const ts = new SnowflakeTimestamp("ntz", 1453357964, 123456789)
    assert.strictEqual(ts.toString(), "2016-01-21T06:32:44.123456789")
    assert.strictEqual(ts.toDate().getTime(), 1453357964123)
    assert.strictEqual(ts.epochSeconds, 1453357964n)
    assert.strictEqual(ts.epochNanos, 1453357964123456789n)
  })

  it("LTZ renders UTC with Z", () => {
    assert.strictEqual(
      new SnowflakeTimestamp("ltz", 1453386764, 0, 0, 3).toString(),
      "2016-01-21T14:32:44.000Z"
    )
  })

  it("TZ renders the local wall clock with its offset, and converts to a Zoned DateTime", () => {
    const ts = new SnowflakeTimestamp("tz", 1453386764, 0, -480, 9)
    assert.strictEqual(ts.toString(), "2016-01-21T06:32:44.000000000-08:00")
    const dt = ts.toDateTime()
    assert.isTrue(DateTime.isZoned(dt))
    assert.strictEqual(DateTime.formatIsoOffset(dt), "2016-01-21T06:32:44.000-08:00")
    assert.strictEqual(DateTime.toEpochMillis(dt), 1453386764000)
    assert.strictEqual(new SnowflakeTimestamp("tz", 0, 0, 14 * 60, 0).toString(), "1970-01-01T14:00:00+14:00")
    assert.strictEqual(
      new SnowflakeTimestamp("tz", 0, 0, -12 * 60, 0).toString(),
      "1969-12-31T12:00:00-12:00"
    )
  })

  it("instants before 1970", () => {
    const ts = new SnowflakeTimestamp("ltz", -1, 500_000_000, 0, 1)
    assert.strictEqual(ts.toString(), "1969-12-31T23:59:59.5Z")
    assert.strictEqual(ts.toDate().getTime(), -500)
    assert.strictEqual(ts.epochNanos, -500_000_000n)
    assert.isTrue(Equal.equals(ts, SnowflakeTimestamp.fromEpochNanos("ltz", -500_000_000n, 0, 1)))
  })

  it("JSON form is the ISO string", () => {
    assert.strictEqual(
      JSON.stringify(new SnowflakeTimestamp("ltz", 0, 1, 0, 9)),
      '"1970-01-01T00:00:00.000000001Z"'
    )
  })
})

describe("toPlainString", () => {
  it("never uses exponents", async () => {
    const { toPlainString } = await import("../../../src/protocol/values/decimal.js")
    const BigDecimal = await import("effect/BigDecimal")
    assert.strictEqual(toPlainString(BigDecimal.make(-5n, 2)), "-0.05")
    assert.strictEqual(toPlainString(BigDecimal.make(1123456789123456789n, 18)), "1.123456789123456789")
    assert.strictEqual(toPlainString(BigDecimal.make(15n, -2)), "1500")
    assert.strictEqual(toPlainString(BigDecimal.make(0n, -2)), "0")
    assert.strictEqual(toPlainString(BigDecimal.make(12n, 2)), "0.12")
    assert.strictEqual(toPlainString(BigDecimal.make(-123n, 1)), "-12.3")
  })
})
