import { randomBytes } from "node:crypto"
import { Readable } from "node:stream"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { AwsChunkedDecoder } from "../../../src/emulator/storage/awsChunked.js"

/** aws-chunked framing of `payload` in chunks of `size`, signed or with a checksum trailer. */
const frame = (payload: Buffer, size: number, signed: boolean) => {
  const parts: Array<Buffer> = []
  const ext = signed ? `;chunk-signature=${"ab".repeat(32)}` : ""
  for (let at = 0; at < payload.length; at += size) {
    const piece = payload.subarray(at, at + size)
    parts.push(Buffer.from(`${piece.length.toString(16)}${ext}\r\n`), piece, Buffer.from("\r\n"))
  }
  parts.push(Buffer.from(`0${ext}\r\n`))
  if (!signed) parts.push(Buffer.from("x-amz-checksum-crc32:AAAAAA==\r\n"))
  parts.push(Buffer.from("\r\n"))
  return Buffer.concat(parts)
}

/** Decodes `framed` fed in pieces of `step` bytes (so framing lines straddle pieces). */
const decode = (framed: Buffer, step: number) =>
  Effect.promise(async () => {
    const pieces: Array<Buffer> = []
    for (let at = 0; at < framed.length; at += step) pieces.push(framed.subarray(at, at + step))
    const out: Array<Buffer> = []
    for await (const chunk of Readable.from(pieces).pipe(new AwsChunkedDecoder())) out.push(chunk as Buffer)
    return Buffer.concat(out)
  })

describe("AwsChunkedDecoder", () => {
  it.effect("recovers the payload for signed and trailer framing, across any piece boundary", () =>
    Effect.gen(function* () {
      const payload = randomBytes(70_001)
      for (const signed of [false, true]) {
        const framed = frame(payload, 8192, signed)
        for (const step of [1, 7, 100, 65_536, framed.length]) {
          const decoded = yield* decode(framed, step)
          assert.isTrue(decoded.equals(payload), `signed=${signed} step=${step}`)
        }
      }
      assert.strictEqual((yield* decode(frame(Buffer.alloc(0), 10, false), 3)).length, 0)
    })
  )
})
