import * as Schema from "effect/Schema"
import { errorFields } from "./fields.js"

/** An HTTP request, login or acquisition took longer than its budget. */
export class ConnectionTimeout extends Schema.TaggedError<ConnectionTimeout>()(
  "ConnectionTimeout",
  errorFields
) {
  get retryable(): boolean {
    return true
  }
}

/** No session could be acquired from the pool within the acquire timeout. */
export class PoolExhausted extends Schema.TaggedError<PoolExhausted>()("PoolExhausted", errorFields) {
  get retryable(): boolean {
    return true
  }
}

/**
 * The request did not get a usable answer: a transport failure (connection refused or reset) or an
 * HTTP status outside 2xx. Transport failures, 408, 429 and 5xx are worth retrying; other statuses
 * are not.
 */
export class NetworkError extends Schema.TaggedError<NetworkError>()("NetworkError", errorFields) {
  get retryable(): boolean {
    const status = this.httpStatus
    return status === undefined || status === 408 || status === 429 || status >= 500
  }
}

/** TLS negotiation or certificate validation failed. Retrying will not help. */
export class TlsError extends Schema.TaggedError<TlsError>()("TlsError", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/** The server answered with something that does not follow the protocol (malformed JSON, missing fields). */
export class ProtocolError extends Schema.TaggedError<ProtocolError>()("ProtocolError", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/** The session is no longer usable (390104, 390111, logged out, or closed by the client). */
export class SessionClosed extends Schema.TaggedError<SessionClosed>()("SessionClosed", errorFields) {
  get retryable(): boolean {
    return false
  }
}
