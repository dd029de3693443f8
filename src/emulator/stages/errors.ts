/** Stage-related failures in Snowflake's words (EngineError.ts has the codes). */
import { EngineError } from "../engine/Engine.js"
import type { StorageError } from "../storage/storage.js"

export const stageMissing = (name: string) => EngineError.notFound(`Stage '${name}'`)

export const tableMissing = (name: string) => EngineError.notFound(`Table '${name}'`, "42S02")

export const fileFormatMissing = (name: string) => EngineError.notFound(`File format '${name}'`)

/** Sent with no error type, unlike the engine's own CREATE (EngineError.alreadyExists). */
export const stageExists = (name: string) => EngineError.alreadyExists(name, {})

export const syntax = (message: string) => EngineError.syntax(message)

export const storageFailure = (e: StorageError) => EngineError.internal(`stage storage: ${e.message}`)

export const internal = (e: { readonly message: string }) => EngineError.internal(e.message)
