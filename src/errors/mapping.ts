import { ExpiredToken, InvalidCredentials, OAuthError } from "./Authentication.js"
import { NetworkError, SessionClosed } from "./Connection.js"
import { compact, type ErrorInit } from "./fields.js"
import { DataError } from "./Ingestion.js"
import { QueryCancelled, QueryExecutionError, QuerySyntaxError, QueryTimeout } from "./Query.js"
import type { SnowflakeError } from "./SnowflakeError.js"
import { WarehouseNotFound } from "./Warehouse.js"

type ErrorClass = new (init: ErrorInit) => SnowflakeError

/**
 * The one table from Snowflake error codes to error classes. Codes not listed fall back to the
 * SQLSTATE class (below), then to QueryExecutionError.
 */
const byCode: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>([
  // login and credential rejections
  ["390100", InvalidCredentials],
  ["390422", InvalidCredentials],
  ["390144", InvalidCredentials],
  ["390401", InvalidCredentials],
  ["390303", InvalidCredentials],
  ["390195", InvalidCredentials],
  ["394400", InvalidCredentials],
  // SSO URL generation failed (external browser / Okta)
  ["390511", OAuthError],
  ["394300", InvalidCredentials],
  ["394301", InvalidCredentials],
  ["394302", InvalidCredentials],
  ["394303", InvalidCredentials],
  ["394304", InvalidCredentials],
  ["394305", InvalidCredentials],
  ["394306", InvalidCredentials],
  // token lifetimes
  ["390112", ExpiredToken],
  ["390113", ExpiredToken],
  ["390114", ExpiredToken],
  ["390115", ExpiredToken],
  ["390110", ExpiredToken],
  ["390318", ExpiredToken],
  // session gone
  ["390104", SessionClosed],
  ["390111", SessionClosed],
  // statements
  ["001003", QuerySyntaxError],
  ["000904", QuerySyntaxError],
  ["002003", QuerySyntaxError],
  ["002043", QuerySyntaxError],
  ["002002", QuerySyntaxError],
  ["000008", QuerySyntaxError],
  ["000604", QueryCancelled],
  ["000630", QueryTimeout],
  ["000606", WarehouseNotFound],
  ["100038", DataError],
  ["100035", DataError],
  ["100040", DataError]
])

const bySqlStateClass = (sqlState: string | undefined): ErrorClass | undefined => {
  if (sqlState === undefined) return undefined
  if (sqlState.startsWith("42")) return QuerySyntaxError
  if (sqlState.startsWith("22")) return DataError
  if (sqlState === "57014") return QueryCancelled
  if (sqlState.startsWith("28")) return InvalidCredentials
  return undefined
}

/** What a failed Snowflake envelope tells us. */
export interface ServerFailure {
  readonly code?: string | null | undefined
  readonly message?: string | null | undefined
  readonly sqlState?: string | null | undefined
  readonly queryId?: string | null | undefined
  readonly httpStatus?: number | undefined
}

const orUndefined = <A>(a: A | null | undefined): A | undefined => (a === null ? undefined : a)

/** Maps a `success:false` envelope (or an error status) to the matching typed error. */
export const fromServerFailure = (failure: ServerFailure): SnowflakeError => {
  const code = orUndefined(failure.code) || undefined
  const sqlState = orUndefined(failure.sqlState) || undefined
  const init = compact<ErrorInit>({
    message: orUndefined(failure.message) || `Snowflake request failed${code ? ` with code ${code}` : ""}`,
    code,
    sqlState,
    queryId: orUndefined(failure.queryId) || undefined,
    httpStatus: failure.httpStatus
  })
  const ErrorType = (code && byCode.get(code)) || bySqlStateClass(sqlState) || QueryExecutionError
  return new ErrorType(init)
}

/** Maps a non-2xx HTTP status without a Snowflake envelope. */
export const fromHttpStatus = (status: number, message?: string): SnowflakeError =>
  status === 401
    ? new SessionClosed({
        message: message ?? "Request to Snowflake failed: invalid token",
        httpStatus: status
      })
    : new NetworkError({ message: message ?? `Snowflake answered HTTP ${status}`, httpStatus: status })
