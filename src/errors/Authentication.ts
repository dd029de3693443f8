import * as Schema from "effect/Schema"
import { errorFields } from "./fields.js"

/** The server rejected the user, password, token or key (390100, 390422, 390144, 394300–394306, 390303, 394400). */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>()(
  "InvalidCredentials",
  errorFields
) {
  get retryable(): boolean {
    return false
  }
}

/** A session, master or OAuth token expired and could not be renewed (390114, 390318, 390110). */
export class ExpiredToken extends Schema.TaggedError<ExpiredToken>()("ExpiredToken", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/** The private key could not be read, decrypted or used to sign a JWT. */
export class KeyPairError extends Schema.TaggedError<KeyPairError>()("KeyPairError", errorFields) {
  get retryable(): boolean {
    return false
  }
}

/** An OAuth flow failed: token endpoint error, refresh refused, browser flow aborted. */
export class OAuthError extends Schema.TaggedError<OAuthError>()("OAuthError", errorFields) {
  get retryable(): boolean {
    return false
  }
}
