/** The emulator's CSV reader for COPY INTO: quoting, escapes, CRLF, NULL markers, positions. */
import { assert, describe, it } from "@effect/vitest"
import { parseCsv } from "../../../src/emulator/copy/formats.js"
import { readOptions, stageTokens } from "../../../src/emulator/stages/sqlText.js"

const format = (text: string) => readOptions(stageTokens(text), 0).options

describe("parseCsv (emulator COPY INTO)", () => {
  it("keeps every field's text, quotes and escapes resolved, with lines and start characters", () => {
    const text = 'a,"b ""q"", c",\\N,x\\,y\r\n"multi\nline",,"",z\nlast,\\\\,"e\\"s",\n'
    const parsed = parseCsv(text, format(`FIELD_OPTIONALLY_ENCLOSED_BY = '"' ESCAPE = '\\\\'`))
    assert.deepStrictEqual(
      parsed.records.map((r) => r.cells),
      [
        ["a", 'b "q", c', null, "x,y"],
        ["multi\nline", null, "", "z"],
        ["last", "\\", 'e"s', null]
      ]
    )
    assert.deepStrictEqual(
      parsed.records.map((r) => [r.line, ...r.starts]),
      [
        [1, 1, 3, 16, 19],
        [2, 1, 7, 8, 11],
        [4, 1, 6, 9, 16]
      ]
    )
  })

  it("a broken enclosure makes its record an error; a last blank line is a record only when asked", () => {
    const quoted = format(`FIELD_OPTIONALLY_ENCLOSED_BY = '"'`)
    const stray = parseCsv('1,"a"b,2\n3,"ok",4\n', quoted)
    assert.deepStrictEqual(
      stray.records.map((r) => r.cells),
      [["3", "ok", "4"]]
    )
    assert.deepStrictEqual(stray.errors, [
      {
        line: 1,
        character: 6,
        code: "100065",
        sqlState: "22000",
        message: "Found character 'b' instead of field delimiter ','",
        column: 1
      }
    ])
    const open = parseCsv('1,x\n2,"never\nclosed\n', quoted)
    assert.deepStrictEqual(
      open.records.map((r) => r.cells),
      [["1", "x"]]
    )
    assert.deepStrictEqual(
      open.errors.map((e) => [e.line, e.character, e.message]),
      [[2, 3, 'End of file reached while looking for the closing " of a field']]
    )
    assert.deepStrictEqual(
      parseCsv('a\n""\n\n', quoted).records.map((r) => r.cells),
      [["a"], [""]]
    )
    assert.deepStrictEqual(
      parseCsv('a\n""\n\n', quoted, { trailingBlankLine: true }).records.map((r) => r.cells),
      [["a"], [""], [null]]
    )
    // a NULL_IF string (or \N) alone on the last line is a NULL record, not a blank line
    assert.deepStrictEqual(
      parseCsv("a\nx\n", format(`NULL_IF = ('x')`)).records.map((r) => r.cells),
      [["a"], [null]]
    )
    assert.deepStrictEqual(
      parseCsv("a\n\\N", format("")).records.map((r) => r.cells),
      [["a"], [null]]
    )
  })

  it("a byte-order mark before the first record is skipped, unless SKIP_BYTE_ORDER_MARK = FALSE", () => {
    const text = "\uFEFF5,a\n6,b\n"
    const skipped = parseCsv(text, format(""))
    assert.deepStrictEqual(
      skipped.records.map((r) => [r.cells, r.starts]),
      [
        [
          ["5", "a"],
          [1, 3]
        ],
        [
          ["6", "b"],
          [1, 3]
        ]
      ]
    )
    const kept = parseCsv(text, format("SKIP_BYTE_ORDER_MARK = FALSE"))
    assert.deepStrictEqual(kept.records[0]!.cells, ["\uFEFF5", "a"])
  })

  it("reads long unquoted runs intact (sliced, not appended)", () => {
    const long = "x".repeat(100_000)
    const parsed = parseCsv(`${long},1\n2,${long}\n`, format(""))
    assert.deepStrictEqual(
      parsed.records.map((r) => r.cells.map((c) => c?.length)),
      [
        [100_000, 1],
        [1, 100_000]
      ]
    )
  })
})
