import { gzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as RowBatch from "../../src/protocol/decode/RowBatch.js"
import { decodeChunkBody, gunzipIfNeeded, isGzip, parseChunkText } from "../../src/streams/chunkBody.js"

const encode = (text: string): Uint8Array => new TextEncoder().encode(text)
const body = '["1","a"],["2",null],["3","c,\\"quoted\\""]'

const failureMessage = (result: Either.Either<unknown, { _tag: string; message: string }>): string => {
  if (Either.isRight(result)) throw new Error("expected a ProtocolError")
  assert.strictEqual(result.left._tag, "ProtocolError")
  return result.left.message
}

describe("parseChunkText", () => {
  it("parses rows without outer brackets", () => {
    const rows = Either.getOrThrow(parseChunkText(body, { rowCount: 3 }))
    assert.deepStrictEqual(rows, [
      ["1", "a"],
      ["2", null],
      ["3", 'c,"quoted"']
    ])
  })

  it("accepts an empty body for an empty chunk", () => {
    assert.deepStrictEqual(Either.getOrThrow(parseChunkText("", { rowCount: 0 })), [])
  })

  it("rejects a body truncated mid-row", () => {
    const message = failureMessage(parseChunkText(body.slice(0, body.length - 5), { rowCount: 3, index: 7 }))
    assert.include(message, "Result chunk 7")
    assert.include(message, "not valid JSON")
  })

  it("rejects a body truncated at a row boundary (fewer rows than announced)", () => {
    const cut = body.slice(0, body.indexOf("],") + 1)
    assert.include(failureMessage(parseChunkText(cut, { rowCount: 3 })), "1 rows, 3 were announced")
  })

  it("rejects more rows than announced", () => {
    assert.include(failureMessage(parseChunkText(body, { rowCount: 2 })), "3 rows, 2 were announced")
  })

  it("rejects a body that has its own outer brackets (rows would be garbage)", () => {
    assert.include(failureMessage(parseChunkText(`[${body}]`, { rowCount: 1 })), "row 0 is not an array")
  })

  it("rejects cells that are not strings or null", () => {
    assert.include(failureMessage(parseChunkText('["1"],["2",3]', { rowCount: 2 })), "row 1")
    assert.include(failureMessage(parseChunkText('["1"],{"a":"b"}', { rowCount: 2 })), "row 1")
    assert.include(failureMessage(parseChunkText('["1",["x"]]', { rowCount: 1 })), "row 0")
  })
})

describe("gunzipIfNeeded", () => {
  it.effect("inflates gzip'ed bytes, recognised by the magic number alone", () =>
    Effect.gen(function* () {
      const zipped = gzipSync(encode(body))
      assert.isTrue(isGzip(zipped))
      const plain = yield* gunzipIfNeeded(zipped)
      assert.strictEqual(new TextDecoder().decode(plain), body)
    })
  )

  it.effect("leaves plain bytes as they are", () =>
    Effect.gen(function* () {
      const bytes = encode(body)
      assert.isFalse(isGzip(bytes))
      assert.strictEqual(yield* gunzipIfNeeded(bytes), bytes)
    })
  )

  it.effect("inflates a body larger than one stream buffer", () =>
    Effect.gen(function* () {
      const big = Array.from({ length: 20_000 }, (_, i) => `["${i}","row ${i}"]`).join(",")
      const plain = yield* gunzipIfNeeded(gzipSync(encode(big)))
      assert.strictEqual(new TextDecoder().decode(plain), big)
    })
  )

  it.effect("fails with ProtocolError on truncated gzip", () =>
    Effect.gen(function* () {
      const zipped = gzipSync(encode(body.repeat(50)))
      const error = yield* Effect.flip(
        gunzipIfNeeded(zipped.subarray(0, zipped.length - 12), { rowCount: 1 })
      )
      assert.strictEqual(error._tag, "ProtocolError")
      assert.include(error.message, "not valid gzip")
    })
  )

  it.effect("fails with ProtocolError on corrupt gzip", () =>
    Effect.gen(function* () {
      const zipped = gzipSync(encode(body.repeat(50)))
      const corrupt = zipped.slice()
      for (let i = 20; i < 40; i++) corrupt[i] = 0xff
      const error = yield* Effect.flip(gunzipIfNeeded(corrupt))
      assert.strictEqual(error._tag, "ProtocolError")
    })
  )
})

describe("decodeChunkBody", () => {
  it.effect("gives the same rows for a gzip'ed and a plain body", () =>
    Effect.gen(function* () {
      const plain = RowBatch.toCells(yield* decodeChunkBody(encode(body), { rowCount: 3 }))
      const zipped = RowBatch.toCells(yield* decodeChunkBody(gzipSync(encode(body)), { rowCount: 3 }))
      assert.deepStrictEqual(zipped, plain)
      assert.strictEqual(plain.length, 3)
    })
  )

  it.effect("keeps multi-byte UTF-8 intact", () =>
    Effect.gen(function* () {
      const batch = yield* decodeChunkBody(gzipSync(encode('["żółw 🐢","日本"]')), { rowCount: 1 })
      const rows = RowBatch.toCells(batch)
      assert.deepStrictEqual(rows, [["żółw 🐢", "日本"]])
    })
  )
})
