/**
 * Gunzip of result chunks on Node's zlib, for the Node layers (the portable default is
 * `DecompressionStream`, chunkBody.ts).
 *
 * node:zlib inflates result chunks about 1.7× faster than the portable DecompressionStream, and
 * ~4× faster again with 256 KiB output buffers instead of its default 16 KiB: a chunk inflates to
 * megabytes, and every output buffer costs a round trip from the thread pool to the main thread.
 */
import * as zlib from "node:zlib"
import * as Effect from "effect/Effect"
import { ProtocolError } from "../errors/Connection.js"
import type { Inflate } from "./chunkBody.js"

const INFLATE_OPTIONS: zlib.ZlibOptions = { chunkSize: 256 * 1024 }

export const gunzip: Inflate = (bytes) =>
  Effect.async<Uint8Array, ProtocolError>((resume) =>
    zlib.gunzip(bytes, INFLATE_OPTIONS, (cause, out) =>
      resume(
        cause
          ? Effect.fail(
              new ProtocolError({ message: "A result chunk is not valid gzip (truncated or corrupt)", cause })
            )
          : Effect.succeed(out)
      )
    )
  )
