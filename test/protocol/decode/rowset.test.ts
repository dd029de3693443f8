/**
 * The byte reader of rowsets (rowset.ts, byteCells.ts) must be invisible: for every body it
 * accepts, the cells are exactly what `JSON.parse` gives, and every column decodes to the same
 * value — or fails with the same message — as through the string converters. Checked on
 * generated bodies and cells (seeded, so a failure reproduces), plus the edge cases by name.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Equal from "effect/Equal"
import { compileRowDecoder, type DecodeOptions } from "../../../src/protocol/decode/index.js"
import * as RowBatch from "../../../src/protocol/decode/RowBatch.js"
import { indexRowset } from "../../../src/protocol/decode/rowset.js"
import type { RowTypeEntry } from "../../../src/protocol/wire/query.js"
import { parseChunkText } from "../../../src/streams/chunkBody.js"
import { random } from "../../support/random.js"

const encoder = new TextEncoder()

const viaJson = (body: string): Either.Either<RowBatch.RawRows, unknown> => {
  try {
    const rows = JSON.parse(`[${body}]`) as Array<unknown>
    const valid = rows.every(
      (row) => Array.isArray(row) && row.every((c) => c === null || typeof c === "string")
    )
    return valid ? Either.right(rows as RowBatch.RawRows) : Either.left("not string cells")
  } catch (error) {
    return Either.left(error)
  }
}

const viaBytes = (body: string): RowBatch.RawRows | undefined => {
  const indexed = indexRowset(encoder.encode(body))
  return indexed === undefined ? undefined : RowBatch.toCells(RowBatch.slice(indexed, 0, indexed.rowCount))
}

/** Accepted by the byte reader ⇔ valid for JSON.parse, and then the same cells. */
const agrees = (body: string) => {
  const expected = viaJson(body)
  const actual = viaBytes(body)
  if (Either.isLeft(expected)) assert.isUndefined(actual, `accepted an invalid body: ${JSON.stringify(body)}`)
  else assert.deepStrictEqual(actual, expected.right, `body ${JSON.stringify(body)}`)
}

const cellPieces = [
  "a",
  "42",
  "-0.5",
  "żółw",
  "🐢",
  "日本",
  '\\"',
  "\\\\",
  "\\/",
  "\\n",
  "\\t",
  "\\b\\f\\r",
  "\\u00e9",
  "\\ud83d\\ude00",
  "\\u0000",
  " ",
  '{\\"k\\":1}',
  ""
]
const badPieces = ["\\x", "\\u12", "\\uZZZZ", "\u0001", "\n", "\\"]

const genCell = (next: () => number, allowBad: boolean): string => {
  if (next() < 0.15) return "null"
  let text = ""
  const parts = Math.floor(next() * 4)
  for (let i = 0; i < parts; i++) {
    const pool = allowBad && next() < 0.1 ? badPieces : cellPieces
    text += pool[Math.floor(next() * pool.length)]
  }
  return `"${text}"`
}

const spaces = ["", "", "", " ", "\n", "\r\n", "\t"]
const genBody = (next: () => number, allowBad: boolean): string => {
  const ws = () => spaces[Math.floor(next() * spaces.length)]!
  const rows: Array<string> = []
  const rowCount = Math.floor(next() * 5)
  for (let r = 0; r < rowCount; r++) {
    const cells: Array<string> = []
    const width = Math.floor(next() * 4)
    for (let c = 0; c < width; c++) cells.push(`${ws()}${genCell(next, allowBad)}${ws()}`)
    rows.push(`${ws()}[${cells.join(",")}${ws()}]${ws()}`)
  }
  let body = rows.join(",")
  if (allowBad && next() < 0.3) {
    // Structural damage: truncation, a stray character, or an extra comma.
    const cut = Math.floor(next() * (body.length + 1))
    const damage = ["", ",", "]", "[", "x", "1", "nul", "true"][Math.floor(next() * 8)]!
    body = next() < 0.5 ? body.slice(0, cut) : body.slice(0, cut) + damage + body.slice(cut)
  }
  return body
}

describe("indexRowset", () => {
  it("reads the cells JSON.parse reads, and nothing it rejects (generated bodies)", () => {
    const next = random(20261127)
    for (let i = 0; i < 4000; i++) agrees(genBody(next, i % 2 === 1))
  })

  it("handles the edge cases by name", () => {
    for (const body of [
      "",
      "  \n ",
      "[]",
      '["a"]',
      '["a"],["b"]',
      '["a"],',
      ',["a"]',
      '["a"]["b"]',
      '["a",]',
      '[,"a"]',
      "[null]",
      "[nul]",
      "[nullx]",
      '["a"] x',
      "[1]",
      '[["a"]]',
      '["unterminated',
      '["a\\"]',
      '["tab\tinside"]',
      '["\\u00"]',
      '\ufeff["bom"]'
    ])
      agrees(body)
  })

  it("indexes a body with the announced rows and sizes its index from the hint", () => {
    const indexed = indexRowset(encoder.encode('["1"],["2"],["3"]'), 1)
    assert.strictEqual(indexed?.rowCount, 3)
  })
})

const entry = (type: string, extra: Partial<RowTypeEntry> = {}): RowTypeEntry => ({
  name: "C",
  type,
  ...extra
})

/** Every column kind with cells that hit the fast path, the fallback and the errors. */
const columns: ReadonlyArray<readonly [RowTypeEntry, ReadonlyArray<string>]> = [
  [
    entry("fixed", { precision: 10, scale: 0 }),
    ["0", "-0", "7", "-42", "007", "999999999999999", "1e3", "", "-", "1.0", " 1", "12a", "٣"]
  ],
  [
    entry("fixed", { precision: 38, scale: 0 }),
    ["0", "-0", "123", "-9007199254740993", "999999999999999", "1000000000000000", "1.5", "", "x", "-"]
  ],
  [
    entry("fixed", { precision: 12, scale: 2 }),
    [
      "0",
      "1.50",
      "-0.50",
      "-0",
      "12345678901234.56",
      "1234567890123456.78",
      "1.",
      ".5",
      "1..2",
      "",
      "-",
      "1e2"
    ]
  ],
  [entry("real"), ["1.5", "-0", "NaN", "inf", "-Infinity", "1e308", "", "x"]],
  [entry("boolean"), ["1", "0", "true", "FALSE", "2", "", "yes"]],
  [entry("date"), ["0", "-1", "19000", "-719162", "1.5", "", "x"]],
  [entry("time", { scale: 9 }), ["0", "3600.5", "86399.999999999", "86400", "-1", "1.", "", "x"]],
  [
    entry("timestamp_ntz", { scale: 9 }),
    ["0", "1577836800.000000000", "-1.5", "-0.000000001", "1.1234567891", "1234567890123456", "1.", "", "x"]
  ],
  [entry("timestamp_ltz", { scale: 3 }), ["1577836800.123", "-86400", ""]],
  [
    entry("timestamp_tz", { scale: 9 }),
    ["1577836800.000000000 1440", "0 0", "0 2880", "0 2881", "0 -1", "0", "0 x", "0 1440 ", "1 1500.0"]
  ],
  [entry("variant"), ['{"k":1,"v":"x"}', "[1,2]", "12345678901234567890", "NaN", "{bad", '"s"', ""]],
  [entry("object"), ['{\n  "k": "é"\n}']],
  [entry("binary"), ["", "00FF", "abc", "ZZ"]],
  [entry("text"), ["", "a", "żółw", 'q"uote', "back\\slash", "new\nline"]],
  [entry("decfloat"), ["1.5e10", "-0", "x"]]
]

const optionSets: ReadonlyArray<DecodeOptions> = [
  {},
  { numbers: "number" },
  { numbers: "string" },
  { dates: "string" },
  { dates: "jsDate" },
  { json: "string" }
]

type Outcome = { readonly value: unknown } | { readonly error: string }

const outcome = (run: () => unknown): Outcome => {
  try {
    return { value: run() }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

const same = (a: unknown, b: unknown): boolean => {
  if (Equal.isEqual(a) || Equal.isEqual(b)) return Equal.equals(a, b)
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b)
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]))
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((x, i) => x === b[i])
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => same((a as never)[k], (b as never)[k]))
  }
  return a === b
}

describe("decodeBatch from rowset bytes", () => {
  it("gives the values and errors of the string converters, for every type and option", () => {
    for (const options of optionSets) {
      for (const [column, texts] of columns) {
        const decoder = compileRowDecoder([column, entry("text", { name: "T" })], options)
        for (const text of [...texts, null]) {
          const cell = text === null ? "null" : JSON.stringify(text)
          const body = encoder.encode(`[${cell},"tail"]`)
          const indexed = indexRowset(body)
          assert.isDefined(indexed)
          for (const shape of ["object", "array"] as const) {
            const fromBytes = outcome(() => decoder.decodeBatch(RowBatch.slice(indexed!, 0, 1), shape)[0])
            const fromCells = outcome(() => decoder.decodeBatch(RowBatch.cells([[text, "tail"]]), shape)[0])
            const where = `${column.type}(${column.precision},${column.scale}) ${JSON.stringify(text)} ${JSON.stringify(options)} ${shape}`
            if ("error" in fromCells) assert.deepStrictEqual(fromBytes, fromCells, where)
            else {
              assert.isTrue(
                "value" in fromBytes,
                `${where}: ${JSON.stringify((fromBytes as { error: string }).error)}`
              )
              assert.isTrue(same((fromBytes as { value: unknown }).value, fromCells.value), where)
            }
          }
        }
      }
    }
  })

  it("reports a row of the wrong width and keeps __proto__ an own property", () => {
    const decoder = compileRowDecoder([entry("text", { name: "__proto__" }), entry("text", { name: "B" })])
    const indexed = indexRowset(encoder.encode('["x","y"],["only"]'))!
    const [row] = decoder.decodeBatch(RowBatch.slice(indexed, 0, 1), "object") as Array<
      Record<string, unknown>
    >
    assert.isTrue(Object.hasOwn(row!, "__proto__"))
    assert.strictEqual(Object.getPrototypeOf(row), Object.prototype)
    assert.throws(
      () => decoder.decodeBatch(RowBatch.slice(indexed, 1, 2), "array"),
      /Row has 1 cells, the rowtype has 2 columns/
    )
  })

  it("agrees with parseChunkText on a whole generated chunk of mixed types", () => {
    const next = random(7)
    const rowtype = columns.map(([column], i) => ({ ...column, name: `C${i}` }))
    const rows: Array<Array<string | null>> = []
    for (let r = 0; r < 500; r++)
      rows.push(
        columns.map(([, texts]) =>
          next() < 0.1 ? null : texts[Math.floor(next() * Math.min(2, texts.length))]!
        )
      )
    const body = rows.map((row) => JSON.stringify(row)).join(",\n")
    const parsed = parseChunkText(body, { rowCount: rows.length })
    assert.isTrue(Either.isRight(parsed))
    const decoder = compileRowDecoder(rowtype)
    const indexed = indexRowset(encoder.encode(body))!
    const fromBytes = decoder.decodeBatch(RowBatch.slice(indexed, 0, indexed.rowCount), "array")
    const fromCells = decoder.decodeBatch(RowBatch.cells(Either.getOrThrow(parsed)), "array")
    assert.isTrue(same(fromBytes, fromCells))
  })
})
