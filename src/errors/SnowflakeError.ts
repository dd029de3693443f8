import * as Schema from "effect/Schema"
import { ExpiredToken, InvalidCredentials, KeyPairError, OAuthError } from "./Authentication.js"
import { InvalidConfig } from "./Config.js"
import {
  ConnectionTimeout,
  NetworkError,
  PoolExhausted,
  ProtocolError,
  SessionClosed,
  TlsError
} from "./Connection.js"
import { CopyFailed, DataError, ExportError, FileFormatError, StageUploadError } from "./Ingestion.js"
import {
  InvalidBinding,
  QueryCancelled,
  QueryExecutionError,
  QuerySyntaxError,
  QueryTimeout,
  RowDecodeError
} from "./Query.js"
import { SimulationMismatch, SimulationNotRecorded, SimulationTypeError } from "./Simulation.js"
import { WarehouseNotFound, WarehouseQueueFull, WarehouseResizing, WarehouseSuspended } from "./Warehouse.js"

/** Every error the library fails with, as one schema (errors cross cassettes and RPC as data). */
export const SnowflakeError = Schema.Union(
  InvalidCredentials,
  ExpiredToken,
  KeyPairError,
  OAuthError,
  ConnectionTimeout,
  PoolExhausted,
  NetworkError,
  TlsError,
  ProtocolError,
  SessionClosed,
  QuerySyntaxError,
  QueryExecutionError,
  QueryCancelled,
  QueryTimeout,
  InvalidBinding,
  RowDecodeError,
  StageUploadError,
  CopyFailed,
  FileFormatError,
  DataError,
  WarehouseNotFound,
  WarehouseSuspended,
  WarehouseQueueFull,
  WarehouseResizing,
  SimulationMismatch,
  SimulationNotRecorded,
  SimulationTypeError,
  InvalidConfig,
  ExportError
)

export type SnowflakeError = typeof SnowflakeError.Type

const tags: ReadonlySet<string> = new Set(SnowflakeError.members.map((member) => member.identifier))

/** True for any error of this library. */
export const isSnowflakeError = (u: unknown): u is SnowflakeError =>
  typeof u === "object" && u !== null && "_tag" in u && tags.has((u as { _tag: string })._tag)

/** Whether repeating the same request may succeed. Decided by each error class, never by its message. */
export const isRetryable = (error: SnowflakeError): boolean => error.retryable
