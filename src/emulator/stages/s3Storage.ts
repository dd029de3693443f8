/** S3 stages on s3rver (placeholder until implemented). */
import { Effect, type Scope } from "effect"
import { type StageStorage, StorageError } from "./storage.js"

export const startS3Storage = (_dir: string): Effect.Effect<StageStorage, StorageError, Scope.Scope> =>
  Effect.fail(new StorageError({ message: "S3 stages are not available yet" }))
