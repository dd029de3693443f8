/**
 * Reading and writing cassette files through the platform `FileSystem`. Writes are atomic: the
 * text goes to a temporary file beside the cassette, which is then renamed over it, so a crash
 * never leaves half a cassette.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { InvalidConfig } from "../errors/Config.js"
import { SimulationNotRecorded } from "../errors/Simulation.js"
import * as Cassette from "./Cassette.js"
import * as StableJson from "./stableJson.js"

const decode = Schema.decodeUnknown(Cassette.Cassette)
const encode = Schema.encode(Cassette.Cassette)

/** The cassette's text: canonical JSON, so the same recording always gives the same bytes. */
export const render = (cassette: Cassette.Cassette): Effect.Effect<string, ParseResult.ParseError> =>
  Effect.map(encode(cassette), StableJson.stringify)

export const parse = (text: string, path: string): Effect.Effect<Cassette.Cassette, InvalidConfig> =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: () => new InvalidConfig({ message: `Cassette ${path} is not valid JSON` })
  }).pipe(
    Effect.flatMap((json) => {
      const header = json as { format?: unknown; version?: unknown }
      if (header?.format === Cassette.FORMAT && header.version !== Cassette.VERSION) {
        return Effect.fail(
          new InvalidConfig({
            message: `Cassette ${path} has format version ${String(header.version)}; this library reads version ${Cassette.VERSION}`
          })
        )
      }
      return Effect.mapError(
        decode(json),
        (error) =>
          new InvalidConfig({
            message: `Cassette ${path} is not a ${Cassette.FORMAT} file: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
          })
      )
    })
  )

export const read = (
  path: string
): Effect.Effect<Cassette.Cassette, InvalidConfig | SimulationNotRecorded, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(path).pipe(
      Effect.mapError(
        () =>
          new SimulationNotRecorded({
            message: `No cassette at ${path}: record it first (mode "record", or SNOWFLAKE_SIMULATION_MODE=record)`
          })
      )
    )
    return yield* parse(text, path)
  })

const directoryOf = (path: string): string | undefined => {
  const at = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"))
  return at > 0 ? path.slice(0, at) : undefined
}

export const write = (path: string, cassette: Cassette.Cassette) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* render(cassette)
    const directory = directoryOf(path)
    if (directory !== undefined) yield* fs.makeDirectory(directory, { recursive: true })
    const temporary = `${path}.${globalThis.crypto.randomUUID()}.tmp`
    yield* fs.writeFileString(temporary, text)
    yield* fs.rename(temporary, path)
  })
