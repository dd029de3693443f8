/** Azure stages on azurite (placeholder until implemented). */
import { Effect, type Scope } from "effect"
import { type StageStorage, StorageError } from "./storage.js"

export const startAzureStorage = (_dir: string): Effect.Effect<StageStorage, StorageError, Scope.Scope> =>
  Effect.fail(new StorageError({ message: "Azure stages are not available yet" }))
