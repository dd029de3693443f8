import { assert, describe, it } from "@effect/vitest"
import { AZURE_BLOCKS, planParts, S3_PARTS } from "../../../src/services/storage/parts.js"

const MiB = 1024 * 1024
const THRESHOLD = 200 * MiB

describe("planParts: part size (bounded buffer) apart from the multipart threshold", () => {
  it("a known size below the threshold: one request, 8 MiB parts", () => {
    assert.deepStrictEqual(planParts(S3_PARTS, 50 * MiB, THRESHOLD), { partSize: 8 * MiB, multipart: false })
    assert.deepStrictEqual(planParts(AZURE_BLOCKS, 1000, THRESHOLD), { partSize: 8 * MiB, multipart: false })
  })

  it("a known size at or above the threshold: parts of 8 MiB, not of the threshold", () => {
    assert.deepStrictEqual(planParts(S3_PARTS, THRESHOLD, THRESHOLD), { partSize: 8 * MiB, multipart: true })
    assert.deepStrictEqual(planParts(S3_PARTS, 5 * THRESHOLD, THRESHOLD), {
      partSize: 8 * MiB,
      multipart: true
    })
  })

  it("an unknown size (a stream): parts of the preferred size", () => {
    assert.deepStrictEqual(planParts(S3_PARTS, undefined, THRESHOLD), { partSize: 8 * MiB, multipart: true })
    assert.deepStrictEqual(planParts(AZURE_BLOCKS, undefined, undefined), {
      partSize: 8 * MiB,
      multipart: true
    })
  })

  it("a huge size: parts grow just enough to stay within the part limit", () => {
    const size = 100 * 1024 * MiB + 1 // 100 GiB and a byte: 8 MiB parts would be 12,801 of them
    const s3 = planParts(S3_PARTS, size, THRESHOLD)
    assert.strictEqual(s3.partSize, Math.ceil(size / 10_000))
    assert.isAtMost(Math.ceil(size / s3.partSize), 10_000)
    assert.isAbove(Math.ceil(size / (s3.partSize - 1)), 10_000)
    // Azure allows 50,000 blocks: 8 MiB blocks still fit 100 GiB.
    assert.strictEqual(planParts(AZURE_BLOCKS, size, THRESHOLD).partSize, 8 * MiB)
    assert.strictEqual(
      planParts(AZURE_BLOCKS, 1024 * 1024 * MiB, THRESHOLD).partSize,
      Math.ceil((1024 * 1024 * MiB) / 50_000)
    )
  })

  it("no threshold (null in the instruction, or not a stage): parts once it does not fit in one", () => {
    assert.deepStrictEqual(planParts(S3_PARTS, 8 * MiB - 1, undefined), {
      partSize: 8 * MiB,
      multipart: false
    })
    assert.deepStrictEqual(planParts(S3_PARTS, 8 * MiB, undefined), { partSize: 8 * MiB, multipart: true })
    assert.deepStrictEqual(planParts(S3_PARTS, 40 * MiB, undefined), { partSize: 8 * MiB, multipart: true })
  })

  it("a threshold below the part size: parts from the threshold on (the SDK still sends an object that fits one part in one request)", () => {
    assert.deepStrictEqual(planParts(S3_PARTS, 2 * MiB, MiB), { partSize: 8 * MiB, multipart: true })
  })
})
