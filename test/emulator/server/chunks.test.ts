import { assert, describe, it } from "@effect/vitest"
import { makeChunks } from "../../../src/emulator/server/chunks.js"

const encoded = (...sizes: Array<number>) =>
  sizes.map((size) => ({ rowCount: 1, uncompressedSize: size, body: Buffer.alloc(size) }))

const found = (chunks: ReturnType<typeof makeChunks>, queryId: string, key: string) =>
  chunks.get(queryId, 0, key)._tag

describe("emulator chunk store", () => {
  it("drops the oldest queries' chunks beyond its byte budget, never the newest", () => {
    const chunks = makeChunks(250)
    const a = chunks.register("http://e", "a", 1, encoded(100))
    const b = chunks.register("http://e", "b", 1, encoded(100))
    assert.strictEqual(chunks.storedBytes(), 200)
    const c = chunks.register("http://e", "c", 1, encoded(100))
    assert.strictEqual(found(chunks, "a", a.qrmk), "NotFound")
    assert.strictEqual(found(chunks, "b", b.qrmk), "Found")
    assert.strictEqual(found(chunks, "c", c.qrmk), "Found")
    assert.strictEqual(chunks.storedBytes(), 200)
    const big = chunks.register("http://e", "big", 1, encoded(400))
    assert.strictEqual(found(chunks, "big", big.qrmk), "Found")
    assert.strictEqual(chunks.storedBytes(), 400)
  })

  it("counts a body shared by several queries (a reused result) once, until the last one goes", () => {
    const chunks = makeChunks(1000)
    const shared = encoded(300)
    chunks.register("http://e", "q1", 1, shared)
    chunks.register("http://e", "q2", 2, shared)
    assert.strictEqual(chunks.storedBytes(), 300)
    chunks.dropSession(1)
    assert.strictEqual(chunks.storedBytes(), 300)
    chunks.dropSession(2)
    assert.strictEqual(chunks.storedBytes(), 0)
  })

  it("serves a chunk only with its key", () => {
    const chunks = makeChunks()
    const result = chunks.register("http://e", "q", 1, encoded(10))
    assert.strictEqual(found(chunks, "q", "wrong"), "Forbidden")
    assert.strictEqual(found(chunks, "q", result.qrmk), "Found")
    assert.strictEqual(found(chunks, "other", result.qrmk), "NotFound")
  })
})
