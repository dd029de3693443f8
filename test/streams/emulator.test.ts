/**
 * ResultStream against the real emulator over loopback HTTP: a GENERATOR result served as gzip
 * chunks, fetched with plain node:http (raw bytes, no automatic gunzip), streamed in order.
 */

import { request } from "node:http"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Emulator } from "../../src/emulator/index.js"
import { NetworkError, type SnowflakeError } from "../../src/errors/index.js"
import { compileRowDecoder } from "../../src/protocol/decode/index.js"
import type { ChunkInfo, RowTypeEntry } from "../../src/protocol/wire/query.js"
import * as ResultStream from "../../src/streams/ResultStream.js"
import { call, login, queryToEnd } from "../emulator/server/wire.js"

const ROWS = 60_000

/** GET a chunk URL: the body bytes as sent, a non-2xx status or a cut connection as NetworkError. */
const getBytes = (url: string, headers: Record<string, string>): Effect.Effect<Uint8Array, SnowflakeError> =>
  Effect.async<Uint8Array, SnowflakeError>((resume, signal) => {
    const failed = (cause: unknown, httpStatus?: number) =>
      resume(
        Effect.fail(
          new NetworkError({
            message: `chunk GET failed${httpStatus === undefined ? "" : ` with HTTP ${httpStatus}`}`,
            cause,
            ...(httpStatus === undefined ? {} : { httpStatus })
          })
        )
      )
    const req = request(url, { headers, signal }, (res) => {
      const parts: Array<Buffer> = []
      res.on("data", (part: Buffer) => parts.push(part))
      res.on("error", (cause) => failed(cause))
      res.on("end", () => {
        const status = res.statusCode ?? 0
        if (!res.complete) failed(new Error("connection cut mid-body"))
        else if (status < 200 || status >= 300) failed(undefined, status)
        else resume(Effect.succeed(new Uint8Array(Buffer.concat(parts))))
      })
    })
    req.on("error", (cause) => {
      if (!signal.aborted) failed(cause)
    })
    req.end()
  })

interface Result {
  readonly queryId: string
  readonly rowtype: ReadonlyArray<RowTypeEntry>
  readonly rowset: ReadonlyArray<ReadonlyArray<string | null>>
  readonly chunks: ReadonlyArray<ChunkInfo>
  readonly chunkHeaders: Record<string, string>
}

const setup = Effect.gen(function* () {
  const emulator = yield* Emulator.start({ chunkRows: 4_000, inlineRows: 500 })
  const { token } = yield* login(emulator.url)
  const answer = yield* queryToEnd(emulator.url, token, {
    sqlText: `select seq4() as n, 'row ' || seq4() as s from table(generator(rowcount => ${ROWS})) order by n`
  })
  assert.isTrue(answer.json.success, answer.json.message ?? "")
  const data = answer.json.data as unknown as Result
  let refreshes = 0
  const source = (headers: Record<string, string>): ResultStream.ChunkSource => ({
    inline: data.rowset,
    chunks: data.chunks,
    fetch: (chunk) => getBytes(chunk.url, headers),
    refresh: Effect.suspend(() => {
      refreshes++
      return Effect.map(
        call(`${emulator.url}/queries/${data.queryId}/result`, { token }),
        (again) => (again.json.data as unknown as Result).chunks
      )
    })
  })
  return { emulator, data, source, refreshes: () => refreshes }
})

const expectAllRows = (rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
  assert.strictEqual(rows.length, ROWS)
  for (let i = 0; i < ROWS; i++) {
    const row = rows[i]!
    if (Number(row[0]) !== i || row[1] !== `row ${i}`)
      assert.fail(`row ${i} is ${JSON.stringify(row, (_, v) => (typeof v === "bigint" ? String(v) : v))}`)
  }
}

describe("ResultStream over the emulator", () => {
  it.scoped("streams a chunked GENERATOR result, every row once and in order", () =>
    Effect.gen(function* () {
      const { data, source } = yield* setup
      assert.isAbove(data.chunks.length, 10)
      const decoder = compileRowDecoder(data.rowtype)
      const rows = yield* ResultStream.make({
        source: source(data.chunkHeaders),
        decode: decoder.toArray,
        prefetch: 3,
        maxBufferedBytes: 256 * 1024
      }).pipe(Stream.runCollect)
      expectAllRows([...rows])
    })
  )

  it.scoped("refreshes the chunk URLs after a 403 and still delivers every row", () =>
    Effect.gen(function* () {
      const { emulator, data, source, refreshes } = yield* setup
      yield* emulator.faults.inject({ route: "chunk", kind: { _tag: "status", status: 403 } })
      const decoder = compileRowDecoder(data.rowtype)
      const rows = yield* Stream.runCollect(
        ResultStream.make({ source: source(data.chunkHeaders), decode: decoder.toArray })
      )
      expectAllRows([...rows])
      assert.strictEqual(refreshes(), 1)
    })
  )

  it.scoped("a chunk cut off mid-body fails the stream instead of shortening it", () =>
    Effect.gen(function* () {
      const { emulator, data, source } = yield* setup
      yield* emulator.faults.inject({ route: "chunk", kind: { _tag: "truncate" } })
      const decoder = compileRowDecoder(data.rowtype)
      let seen = 0
      const error = yield* ResultStream.make({
        source: source(data.chunkHeaders),
        decode: decoder.toArray
      }).pipe(
        Stream.runForEach(() => Effect.sync(() => seen++)),
        Effect.flip
      )
      assert.include(["NetworkError", "ProtocolError"], error._tag)
      assert.isBelow(seen, ROWS)
    })
  )

  it.scoped("chunks without their key header are refused (403) and the stream fails", () =>
    Effect.gen(function* () {
      const { data, source } = yield* setup
      const decoder = compileRowDecoder(data.rowtype)
      const error = yield* Effect.flip(
        Stream.runDrain(ResultStream.make({ source: source({}), decode: decoder.toArray, maxRefreshes: 1 }))
      )
      assert.strictEqual(error._tag, "NetworkError")
    })
  )
})
