import { assert, describe, it } from "@effect/vitest"
import { AZURE_BLOCKS, partSize, S3_PARTS } from "../../../src/services/storage/parts.js"

const MiB = 1024 * 1024

describe("partSize: a bounded buffer per part, whatever the object's size", () => {
  it("small, large and unknown sizes (a stream): 8 MiB", () => {
    for (const size of [0, 1000, 50 * MiB, 200 * MiB, 1000 * MiB, undefined]) {
      assert.strictEqual(partSize(S3_PARTS, size), 8 * MiB, String(size))
      assert.strictEqual(partSize(AZURE_BLOCKS, size), 8 * MiB, String(size))
    }
  })

  it("a huge size: parts grow just enough to stay within the part limit", () => {
    const size = 100 * 1024 * MiB + 1 // 100 GiB and a byte: 8 MiB parts would be 12,801 of them
    const s3 = partSize(S3_PARTS, size)
    assert.strictEqual(s3, Math.ceil(size / 10_000))
    assert.isAtMost(Math.ceil(size / s3), 10_000)
    assert.isAbove(Math.ceil(size / (s3 - 1)), 10_000)
    // Azure allows 50,000 blocks: 8 MiB blocks still fit 100 GiB.
    assert.strictEqual(partSize(AZURE_BLOCKS, size), 8 * MiB)
    assert.strictEqual(partSize(AZURE_BLOCKS, 1024 * 1024 * MiB), Math.ceil((1024 * 1024 * MiB) / 50_000))
  })
})
