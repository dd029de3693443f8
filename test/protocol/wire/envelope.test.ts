import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { decodeEnvelope, parseJson, toServerFailure } from "../../../src/protocol/wire/envelope.js"

describe("parseJson", () => {
  it("keeps integers beyond 2^53 exact as strings", () => {
    assert.deepStrictEqual(parseJson('{"smkId": 900719925474099333, "n": -12345678901234567890}'), {
      smkId: "900719925474099333",
      n: "-12345678901234567890"
    })
  })

  it("leaves safe integers, fractions and exponents as numbers", () => {
    assert.deepStrictEqual(
      parseJson(
        "[9007199254740991, 1775206502642407, 1.12345678901234567890, 1e1234567890123456, 1.5e-12345678901234567]"
      ),
      [9007199254740991, 1775206502642407, 1.1234567890123457, Number.POSITIVE_INFINITY, 0]
    )
  })

  it("never touches digits inside strings, escaped quotes included", () => {
    assert.deepStrictEqual(parseJson('{"a":"x\\"12345678901234567890","b":[12345678901234567890]}'), {
      a: 'x"12345678901234567890',
      b: ["12345678901234567890"]
    })
  })

  it("throws on malformed JSON like JSON.parse", () => {
    assert.throws(() => parseJson("{"))
    assert.throws(() => parseJson("{12345678901234567890"))
  })
})

describe("decodeEnvelope", () => {
  it("defaults missing code/message/data to null", () => {
    assert.deepStrictEqual(
      decodeEnvelope({ success: true }),
      Either.right({ data: null, code: null, message: null, success: true })
    )
  })

  it("rejects a numeric code (the protocol requires strings)", () => {
    assert.isTrue(Either.isLeft(decodeEnvelope({ success: false, code: 390112, message: "x" })))
  })

  it("rejects a body without success", () => {
    assert.isTrue(Either.isLeft(decodeEnvelope({ data: null })))
  })

  it("toServerFailure falls back to data.errorCode for an empty code", () => {
    const failure = toServerFailure(
      {
        success: false,
        code: "",
        message: "m",
        data: { errorCode: "000605", sqlState: "01000", queryId: null }
      },
      200
    )
    assert.deepStrictEqual(failure, {
      code: "000605",
      message: "m",
      sqlState: "01000",
      queryId: null,
      httpStatus: 200
    })
  })
})
