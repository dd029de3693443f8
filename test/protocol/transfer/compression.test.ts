import { assert, describe, it } from "@effect/vitest"
import * as Compression from "../../../src/protocol/transfer/compression.js"

const none = new Uint8Array()
const plan = (name: string, autoCompress: boolean, sourceCompression: string, head = none) =>
  Compression.plan(name, { autoCompress, sourceCompression }, head)

describe("PUT compression plan", () => {
  it("AUTO_COMPRESS × SOURCE_COMPRESSION", () => {
    assert.deepStrictEqual(plan("a.csv", true, "auto_detect"), {
      source: undefined,
      target: "GZIP",
      gzip: true,
      targetName: "a.csv.gz"
    })
    assert.deepStrictEqual(plan("a.csv", false, "auto_detect"), {
      source: undefined,
      target: undefined,
      gzip: false,
      targetName: "a.csv"
    })
    assert.deepStrictEqual(plan("a.csv.gz", true, "auto_detect"), {
      source: "GZIP",
      target: "GZIP",
      gzip: false,
      targetName: "a.csv.gz"
    })
    assert.deepStrictEqual(plan("a.bin", true, "auto_detect", new Uint8Array([0x1f, 0x8b, 8])), {
      source: "GZIP",
      target: "GZIP",
      gzip: false,
      targetName: "a.bin"
    })
    assert.deepStrictEqual(plan("a.parquet", true, "auto_detect"), {
      source: "PARQUET",
      target: "PARQUET",
      gzip: false,
      targetName: "a.parquet"
    })
    assert.deepStrictEqual(plan("a.zst", true, "none"), {
      source: undefined,
      target: "GZIP",
      gzip: true,
      targetName: "a.zst.gz"
    })
    assert.deepStrictEqual(plan("a.dat", true, "bz2"), {
      source: "BZ2",
      target: "BZ2",
      gzip: false,
      targetName: "a.dat"
    })
  })
  it("unsupported compressions are refused with a reason", () => {
    assert.isTrue("unsupported" in plan("a.lz", true, "auto_detect"))
    assert.isTrue("unsupported" in plan("a.csv", true, "lzma"))
    assert.isTrue("unsupported" in plan("a.csv", true, "snappy"))
  })
})
