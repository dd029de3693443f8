/** A scratch file path in a fresh temporary directory, removed (with the directory) when the effect ends. */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"

export const withScratchFile = <A, E, R>(name: string, use: (path: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "property-"))),
    (dir) => use(join(dir, name)),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )
