/** A staged file's bytes, as COPY INTO, stage binds and queries of staged files read them back. */
import { promisify } from "node:util"
import { gunzip } from "node:zlib"
import { Effect } from "effect"
import type { EngineError } from "../engine/Engine.js"
import { decryptObject } from "./crypto.js"
import { internal, storageFailure } from "./errors.js"
import type { StageDeps } from "./hook.js"

const gunzipAsync = promisify(gunzip)

/**
 * A staged file's bytes as written: decrypted (§9.4), gunzipped when they are gzip whatever the
 * name says. Gunzip runs on libuv's pool: done on the event loop it would stall every other
 * session of the emulator (~0.3 s per 40 MB of CSV).
 */
export const readBody = (
  deps: StageDeps,
  key: string,
  masterKey: Buffer
): Effect.Effect<Buffer, EngineError> => {
  const unreadable = (e: unknown) => internal({ message: `cannot read staged file ${key}: ${String(e)}` })
  return deps.storage.read(key).pipe(
    Effect.mapError(storageFailure),
    Effect.flatMap((data) =>
      Effect.try({ try: () => decryptObject(data.body, data.metadata, masterKey), catch: unreadable })
    ),
    Effect.flatMap((plain) =>
      plain.length >= 2 && plain[0] === 0x1f && plain[1] === 0x8b
        ? Effect.tryPromise({ try: () => gunzipAsync(plain), catch: unreadable })
        : Effect.succeed(plain)
    )
  )
}
