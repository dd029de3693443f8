import { assert, describe, it } from "@effect/vitest"
import * as BigDecimal from "effect/BigDecimal"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { compileRowDecoder } from "../../../src/protocol/decode/index.js"
import { SnowflakeDate, SnowflakeTime, SnowflakeTimestamp } from "../../../src/protocol/values/index.js"
import { csv } from "../../../src/streams/export/csv.js"

const text = (bytes: Stream.Stream<Uint8Array>) =>
  Effect.map(Stream.runCollect(bytes), (parts) => {
    const decoder = new TextDecoder()
    return Chunk.toReadonlyArray(parts)
      .map((part) => decoder.decode(part, { stream: true }))
      .join("")
  })

/** A strict RFC 4180 reader, to read the output back. `null` marks an empty unquoted field. */
const parseCsv = (input: string): Array<Array<string | null>> => {
  const rows: Array<Array<string | null>> = []
  let row: Array<string | null> = []
  let i = 0
  while (i < input.length) {
    let value: string | null
    if (input[i] === '"') {
      let out = ""
      i++
      for (;;) {
        const quote = input.indexOf('"', i)
        out += input.slice(i, quote)
        i = quote + 1
        if (input[i] === '"') {
          out += '"'
          i++
        } else break
      }
      value = out
    } else {
      let end = i
      while (end < input.length && input[end] !== "," && input[end] !== "\r") end++
      value = end === i ? null : input.slice(i, end)
      i = end
    }
    row.push(value)
    if (input[i] === ",") i++
    else if (input.startsWith("\r\n", i)) {
      rows.push(row)
      row = []
      i += 2
    } else throw new Error(`unexpected ${JSON.stringify(input[i])} at ${i}`)
  }
  return rows
}

describe("Export.csv", () => {
  it.effect("writes a header, quotes what needs quoting and ends lines with CRLF", () =>
    Effect.gen(function* () {
      const rows = Stream.make(
        { ID: 1, NAME: "plain" },
        { ID: 2, NAME: "a,b" },
        { ID: 3, NAME: 'say "hi"' },
        { ID: 4, NAME: "two\nlines" },
        { ID: 5, NAME: "cr\rhere" },
        { ID: 6, NAME: "" },
        { ID: 7, NAME: null }
      )
      const out = yield* text(csv(rows, ["ID", "NAME"]))
      assert.strictEqual(
        out,
        'ID,NAME\r\n1,plain\r\n2,"a,b"\r\n3,"say ""hi"""\r\n4,"two\nlines"\r\n5,"cr\rhere"\r\n6,""\r\n7,\r\n'
      )
    })
  )

  it.effect("renders values losslessly", () =>
    Effect.gen(function* () {
      const row = [
        12345678901234567890123456789n,
        BigDecimal.unsafeFromString("0.000000000000000000001"),
        BigDecimal.unsafeFromString("-123456789012345678901234.5678"),
        1.5,
        true,
        SnowflakeDate.fromYmd(2024, 2, 29),
        new SnowflakeTime(3723_123456789, 9),
        SnowflakeTimestamp.fromEpochNanos("tz", 1_700_000_000_123456789n, -480),
        SnowflakeTimestamp.fromEpochNanos("ltz", 1_700_000_000_000000001n),
        new Uint8Array([0, 15, 255]),
        { big: 9007199254740993n, list: [1, "x", null], nested: { ok: false } }
      ]
      const out = yield* text(
        csv(
          Stream.make(row),
          row.map((_, i) => `C${i}`),
          { header: false }
        )
      )
      assert.deepStrictEqual(parseCsv(out), [
        [
          "12345678901234567890123456789",
          "0.000000000000000000001",
          "-123456789012345678901234.5678",
          "1.5",
          "true",
          "2024-02-29",
          "01:02:03.123456789",
          "2023-11-14T14:13:20.123456789-08:00",
          "2023-11-14T22:13:20.000000001Z",
          "000fff",
          '{"big":9007199254740993,"list":[1,"x",null],"nested":{"ok":false}}'
        ]
      ])
    })
  )

  it.effect("reads object rows by key and array rows by position, from a real decoder", () =>
    Effect.gen(function* () {
      const decoder = compileRowDecoder([
        { name: "N", type: "fixed", precision: 38, scale: 0 },
        { name: "N", type: "fixed", precision: 10, scale: 2 },
        { name: "T", type: "text" }
      ])
      const raw = [
        ["99999999999999999999999999999999999999", "12.50", "x"],
        [null, null, null]
      ]
      const asObjects = yield* text(csv(Stream.fromIterable(raw.map(decoder.toObject)), decoder.keys))
      const asArrays = yield* text(csv(Stream.fromIterable(raw.map(decoder.toArray)), decoder.keys))
      assert.strictEqual(asObjects, "N,N_2,T\r\n99999999999999999999999999999999999999,12.50,x\r\n,,\r\n")
      assert.strictEqual(asArrays, asObjects)
    })
  )

  it.effect("round-trips awkward strings through an RFC 4180 reader", () =>
    Effect.gen(function* () {
      const awkward = ['"', '""', ",", "\r\n", " lead", "trail ", "żółw 🐢", 'a"b,c\nd', "null", "NULL"]
      const rows = awkward.map((value, i) => [i, value])
      const out = yield* text(csv(Stream.fromIterable(rows), ["I", "V"], { batchBytes: 7 }))
      assert.deepStrictEqual(parseCsv(out), [["I", "V"], ...awkward.map((value, i) => [String(i), value])])
    })
  )

  it.effect("uses the configured null text, delimiter and header labels", () =>
    Effect.gen(function* () {
      const out = yield* text(
        csv(Stream.make([null, "a;b"]), ["A", "B"], {
          nullValue: "\\N",
          delimiter: ";",
          headerNames: ["x", "y"]
        })
      )
      assert.strictEqual(out, 'x;y\r\n\\N;"a;b"\r\n')
    })
  )

  it.effect("writes only the header for an empty stream", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* text(csv(Stream.empty, ["A", "B"])), "A,B\r\n")
      assert.strictEqual(yield* text(csv(Stream.empty, ["A"], { header: false })), "")
    })
  )

  it.effect("emits batches of about batchBytes, not one array per row", () =>
    Effect.gen(function* () {
      const rows = Stream.range(0, 9_999).pipe(Stream.map((i) => [i, `value ${i}`]))
      const parts = yield* Stream.runCollect(csv(rows, ["I", "V"], { batchBytes: 16 * 1024 }))
      const sizes = Chunk.toReadonlyArray(parts).map((part) => part.length)
      const total = sizes.reduce((a, b) => a + b, 0)
      assert.isAtMost(sizes.length, Math.ceil(total / (16 * 1024)) + 1)
      assert.isAbove(sizes.length, 1)
      const lines = new TextDecoder().decode(Buffer.concat(Chunk.toReadonlyArray(parts))).split("\r\n")
      assert.strictEqual(lines.length, 10_002)
      assert.strictEqual(lines[10_000], "9999,value 9999")
    })
  )
})
