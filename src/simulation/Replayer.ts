/**
 * Replaying: a `Statements` that answers from a cassette (through Playback.ts, which matches
 * requests to recordings), with no network and no waiting.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { SimulationNotRecorded } from "../errors/Simulation.js"
import type { SnowflakeError } from "../errors/SnowflakeError.js"
import * as RowBatch from "../protocol/decode/RowBatch.js"
import type { RawStream, StatementsService } from "../services/Statements.js"
import type * as Query from "../sql/Query.js"
import type { RawResult } from "../streams/answerRows.js"
import * as ResultStream from "../streams/ResultStream.js"
import type * as Cassette from "./Cassette.js"
import { fromRecorded } from "./codec.js"
import * as Fingerprint from "./Fingerprint.js"
import type * as Playback from "./Playback.js"

/** The replaying `Statements`, served from `playback`. */
export const makeWith = (playback: Playback.Playback): StatementsService => {
  const { cassette, source, take, unexpected } = playback
  const answer = <A>(
    request: Effect.Effect<Cassette.Request, SnowflakeError>,
    what: string,
    pick: (response: Cassette.Response) => A | undefined
  ): Effect.Effect<A, SnowflakeError> => Effect.flatMap(request, (r) => playback.answer(r, what, pick))

  const statement = (operation: Cassette.Operation, query: Query.Query) =>
    Fingerprint.ofStatement(operation, query, cassette.context)
  const byId = (operation: Cassette.Operation, queryId: string) =>
    Effect.succeed(Fingerprint.ofQueryId(operation, queryId))
  const result = (response: Cassette.Response): RawResult | undefined =>
    response.result && fromRecorded(response.result)

  const stream = (query: Query.Query) => replayStream(statement("stream", query))
  const streamResult = (queryId: string) => replayStream(byId("streamResult", queryId))

  const replayStream = <E extends SnowflakeError>(fingerprint: Effect.Effect<Cassette.Request, E>) =>
    Effect.flatMap(fingerprint, take).pipe(
      Effect.flatMap(({ index, response }): Effect.Effect<RawStream, SnowflakeError> => {
        const recorded = response.stream
        if (recorded === undefined) return Effect.fail(response.error ?? unexpected(index, "stream"))
        const ending: Stream.Stream<never, SnowflakeError> = recorded.complete
          ? Stream.empty
          : Stream.fail(
              response.error ??
                new SimulationNotRecorded({
                  message: `Interaction #${index + 1} in ${source} recorded only the first ${recorded.rows.length} rows of this stream; the program read further. Re-record reading the whole stream.`
                })
            )
        return Effect.succeed({
          queryId: recorded.queryId,
          rowtype: recorded.rowtype,
          batches: Stream.concat(
            Stream.fromIterable(RowBatch.split(RowBatch.cells(recorded.rows), ResultStream.EMIT_ROWS)),
            ending
          )
        })
      })
    )

  return {
    execute: (query) => answer(statement("execute", query), "result", result),
    executeMulti: (query) =>
      answer(statement("executeMulti", query), "results", (r) => r.results?.map(fromRecorded)),
    stream,
    streamResult,
    submit: (query) => answer(statement("submit", query), "query handle", (r) => r.handle),
    status: (queryId) =>
      answer(byId("status", queryId), "status", (r) =>
        r.status === undefined
          ? undefined
          : {
              queryId: r.status.queryId,
              status: r.status.status,
              errorCode: r.status.errorCode,
              errorMessage: r.status.errorMessage
            }
      ),
    // The recorded outcome is final: no polling, no waiting, so the timeout has nothing to bound.
    awaitResult: (queryId) => answer(byId("awaitResult", queryId), "result", result),
    cancel: (queryId) => answer(byId("cancel", queryId), "cancel answer", () => true).pipe(Effect.asVoid)
  }
}
