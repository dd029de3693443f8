/** Stage-related failures in Snowflake's words. */
import { EngineError } from "../engine/Engine.js"
import type { StorageError } from "./storage.js"

export const stageMissing = (name: string) =>
  new EngineError(
    "002003",
    "02000",
    `SQL compilation error:\nStage '${name}' does not exist or not authorized.`
  )

export const tableMissing = (name: string) =>
  new EngineError(
    "002003",
    "42S02",
    `SQL compilation error:\nTable '${name}' does not exist or not authorized.`
  )

export const fileFormatMissing = (name: string) =>
  new EngineError(
    "002003",
    "02000",
    `SQL compilation error:\nFile format '${name}' does not exist or not authorized.`
  )

export const stageExists = (name: string) =>
  new EngineError("002002", "42710", `SQL compilation error:\nObject '${name}' already exists.`)

export const syntax = (message: string) =>
  new EngineError("001003", "42000", `SQL compilation error:\n${message}`, { type: "COMPILATION" })

export const storageFailure = (e: StorageError) =>
  new EngineError("000603", "XX000", `SQL execution internal error: stage storage: ${e.message}`)

export const internal = (e: { readonly message: string }) =>
  new EngineError("000603", "XX000", `SQL execution internal error: ${e.message}`)
