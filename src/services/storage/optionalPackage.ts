/**
 * The cloud SDKs are optional peer dependencies: a stage of a given cloud loads its SDK on first
 * use, and a missing package fails with a typed error that says what to install.
 */
import * as Effect from "effect/Effect"
import { StageUploadError } from "../../errors/index.js"

export const loadOptional = <A>(
  packageName: string,
  load: () => Promise<A>
): Effect.Effect<A, StageUploadError> =>
  Effect.tryPromise({
    try: load,
    catch: (cause) =>
      new StageUploadError({
        message: `This stage needs the optional package ${packageName}; install it with: npm install ${packageName}`,
        cause
      })
  })
