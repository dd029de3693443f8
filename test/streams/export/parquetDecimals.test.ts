/**
 * NUMBER columns written to Parquet take a float64 straight to its unscaled integer when that is
 * certainly exact (no decimal parsing); the result must always be what parsing the number's text
 * gives, and a number with more fraction digits than the scale must still be refused. Seeded
 * differential test: the number against its own `String(value)` (the parsing path).
 */
import { assert, describe, it } from "@effect/vitest"
import type { Column } from "../../../src/protocol/decode/index.js"
import { planColumn } from "../../../src/streams/export/parquetColumns.js"
import { random } from "../../support/random.js"

const fixed = (precision: number, scale: number): Column =>
  ({ name: "N", type: "fixed", precision, scale, nullable: true, length: null, byteLength: null }) as Column

const outcome = (convert: (value: unknown) => unknown, value: unknown) => {
  try {
    return String(convert(value))
  } catch {
    return "refused"
  }
}

describe("Parquet DECIMAL values from JS numbers", () => {
  it("agree with the parsed text of the number for 200,000 generated values, every scale", () => {
    const next = random(7)
    const special = [0, -0, 0.1 + 0.2, 1e-7, 123.456, -99.99, 2 ** 50, 2 ** 53, 1e15 + 0.5, 4.35, 1.005, 1e21]
    for (let n = 0; n < 200_000; n++) {
      const scale = Math.floor(next() * 19)
      const plan = planColumn(fixed(38, scale), "N")
      const magnitude = 10 ** Math.floor(next() * 22 - 6)
      const value =
        n < special.length
          ? (special[n] as number)
          : next() < 0.5
            ? Math.round(next() * magnitude * 10 ** scale) / 10 ** scale // mostly representable at the scale
            : (next() - 0.5) * magnitude // mostly not
      const text = Object.is(value, -0) ? "0" : String(value)
      assert.strictEqual(
        outcome(plan.convert, value),
        outcome(plan.convert, text),
        `${text} at scale ${scale}`
      )
    }
  })
})
