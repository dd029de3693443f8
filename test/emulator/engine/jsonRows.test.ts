import { assert, describe, it } from "@effect/vitest"
import { packLines, packRows, parseRows, rowsBody } from "../../../src/emulator/engine/jsonRows.js"

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8")

describe("engine: packed JSON rows", () => {
  it("COPY output (newline-terminated rows) becomes comma-joined chunk bodies without copying", () => {
    const rows = packLines(Buffer.from('["1","é"]\n["2",null]\r\n["3","x"]\n', "utf8"))
    assert.strictEqual(rows.count, 3)
    assert.strictEqual(text(rowsBody(rows, 0, 3)), '["1","é"],["2",null] ,["3","x"]')
    assert.strictEqual(text(rowsBody(rows, 1, 2)), '["2",null] ')
    assert.strictEqual(text(rowsBody(rows, 2, 3)), '["3","x"]')
    assert.strictEqual(rowsBody(rows, 3, 3).length, 0)
    assert.deepStrictEqual(parseRows(rows, 1, 3), [
      ["2", null],
      ["3", "x"]
    ])
    assert.strictEqual(rowsBody(rows, 0, 1).buffer, rows.bytes.buffer)
  })

  it("a line that does not end its row (a quoting writer, a truncated file) is an error, not a wrong result", () => {
    assert.throws(() => packLines(Buffer.from('"[""1""]"\n', "utf8")), /malformed/)
    assert.throws(() => packLines(Buffer.from('["1"]\n["2"', "utf8")), /unterminated/)
    assert.strictEqual(packLines(Buffer.alloc(0)).count, 0)
  })

  it("rows built in JS pack to the same bodies", () => {
    const rows = packRows([
      ["a", null],
      ["ü\n", "2"]
    ])
    assert.strictEqual(text(rowsBody(rows, 0, 2)), '["a",null],["ü\\n","2"]')
    assert.deepStrictEqual(parseRows(rows, 1, 2), [["ü\n", "2"]])
    assert.strictEqual(packRows([]).count, 0)
  })
})
