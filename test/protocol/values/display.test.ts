import { assert, describe, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import { displayValue } from "../../../src/protocol/values/display.js"
import { SnowflakeDate } from "../../../src/protocol/values/index.js"

describe("displayValue", () => {
  it("renders numbers exactly", () => {
    assert.strictEqual(displayValue(12345678901234567890123n), "12345678901234567890123")
    assert.strictEqual(
      displayValue(BigDecimal.unsafeFromString("0.000000000000000001")),
      "0.000000000000000001"
    )
    assert.strictEqual(displayValue(BigDecimal.unsafeFromString("-20.25")), "-20.25")
    assert.strictEqual(displayValue(1.5), "1.5")
  })

  it("renders nulls, binary and dates", () => {
    assert.strictEqual(displayValue(null), "")
    assert.strictEqual(displayValue(null, "NULL"), "NULL")
    assert.strictEqual(displayValue(new Uint8Array([0x48, 0x69, 0xff])), "4869FF")
    assert.strictEqual(displayValue(new SnowflakeDate(16821)), "2016-01-21")
  })

  it("renders VARIANT values as JSON keeping big integers", () => {
    assert.strictEqual(
      displayValue({ a: 9007199254740993n, b: [1, "x"] }),
      '{"a":9007199254740993,"b":[1,"x"]}'
    )
  })
})
