/**
 * The chunk URLs of one result, renewable. Presigned chunk URLs expire (~6 h, PROTOCOL.md §6); a
 * chunk GET then answers 403 and fresh URLs come from `GET /queries/{id}/result`. Several chunks
 * downloading at once may all see the 403: a generation number lets the first one refresh and the
 * others simply retry with the URLs it got, so one expiry costs one refresh, not one per chunk.
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import { ProtocolError } from "../errors/Connection.js"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import type { ChunkInfo } from "../protocol/wire/query.js"

export interface CurrentChunk {
  readonly chunk: ChunkInfo
  /** Bumped by every refresh; pass it back to `renew` so a stale failure does not refresh twice. */
  readonly generation: number
}

export interface ChunkUrls {
  readonly current: (index: number) => Effect.Effect<CurrentChunk>
  /**
   * Gets fresh URLs after `failure` (a 403) on URLs of `generation`, unless a newer generation
   * exists already. Fails with `failure` itself when there is no refresh or the budget is spent.
   */
  readonly renew: (generation: number, failure: SnowflakeError) => Effect.Effect<void, SnowflakeError>
}

interface State {
  readonly chunks: ReadonlyArray<ChunkInfo>
  readonly generation: number
  readonly refreshes: number
}

export const make = (
  chunks: ReadonlyArray<ChunkInfo>,
  refresh: Effect.Effect<ReadonlyArray<ChunkInfo>, SnowflakeError> | undefined,
  maxRefreshes: number
): Effect.Effect<ChunkUrls> =>
  Effect.gen(function* () {
    const state = yield* Ref.make<State>({ chunks, generation: 0, refreshes: 0 })
    const mutex = yield* Effect.makeSemaphore(1)

    const current = (index: number) =>
      Effect.map(Ref.get(state), (s) => ({ chunk: s.chunks[index]!, generation: s.generation }))

    const renew = (generation: number, failure: SnowflakeError) =>
      mutex.withPermits(1)(
        Effect.gen(function* () {
          const s = yield* Ref.get(state)
          if (s.generation > generation) return
          if (refresh === undefined || s.refreshes >= maxRefreshes) return yield* Effect.fail(failure)
          const fresh = yield* refresh
          if (fresh.length !== chunks.length) {
            return yield* new ProtocolError({
              message: `Refreshing the chunk URLs gave ${fresh.length} chunks, the result has ${chunks.length}`
            })
          }
          yield* Ref.set(state, { chunks: fresh, generation: s.generation + 1, refreshes: s.refreshes + 1 })
        })
      )

    return { current, renew }
  })
