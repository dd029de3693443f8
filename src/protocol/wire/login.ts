/**
 * `POST /session/v1/login-request` (PROTOCOL.md §2): the request body's `data` object and the
 * success answer's `data`. Decoding is tolerant: unknown fields are ignored, optional ones may be
 * absent or null.
 */
import * as Schema from "effect/Schema"

/** The authenticators the login request can name (Okta URL flows send none). */
export type Authenticator =
  | "SNOWFLAKE"
  | "SNOWFLAKE_JWT"
  | "OAUTH"
  | "EXTERNALBROWSER"
  | "ID_TOKEN"
  | "USERNAME_PASSWORD_MFA"
  | "PROGRAMMATIC_ACCESS_TOKEN"
  | "WORKLOAD_IDENTITY"

/** The `data` object of a login request. Keys are spelled as on the wire. */
export interface LoginRequestData {
  /** Normalised account (see `protocol/auth/account.ts`), e.g. `MYORG-ACCT`. */
  readonly ACCOUNT_NAME: string
  readonly LOGIN_NAME?: string
  readonly PASSWORD?: string
  readonly AUTHENTICATOR: Authenticator
  /** JWT, OAuth access token, PAT, SAML token or id token, depending on the authenticator. */
  readonly TOKEN?: string
  readonly PROOF_KEY?: string
  readonly PASSCODE?: string
  readonly EXT_AUTHN_DUO_METHOD?: "push" | "passcode"
  readonly PROVIDER?: string
  readonly CLIENT_APP_ID: string
  readonly CLIENT_APP_VERSION: string
  readonly CLIENT_ENVIRONMENT: Readonly<Record<string, unknown>>
  readonly SESSION_PARAMETERS: Readonly<Record<string, string | number | boolean>>
}

const optionalNullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true })

/** One `{ name, value }` session parameter (value: string, number or boolean on the wire). */
export const SessionParameter = Schema.Struct({
  name: Schema.String,
  value: Schema.Unknown
})
export type SessionParameter = typeof SessionParameter.Type

/** The session's current context after login; any value may be null. */
export const SessionInfo = Schema.Struct({
  databaseName: optionalNullable(Schema.String),
  schemaName: optionalNullable(Schema.String),
  warehouseName: optionalNullable(Schema.String),
  roleName: optionalNullable(Schema.String)
})
export type SessionInfo = typeof SessionInfo.Type

/**
 * Real servers send `sessionId` as a JSON number; an old Node mock sends a numeric string. Both
 * decode to a number (session ids are ~13 digits, well inside 2^53).
 */
export const SessionId = Schema.Union(Schema.Number, Schema.NumberFromString)

export const LoginResponseData = Schema.Struct({
  token: Schema.String,
  validityInSeconds: Schema.Number,
  masterToken: Schema.String,
  masterValidityInSeconds: Schema.Number,
  sessionId: SessionId,
  sessionInfo: optionalNullable(SessionInfo),
  parameters: optionalNullable(Schema.Array(SessionParameter)),
  displayUserName: optionalNullable(Schema.String),
  serverVersion: optionalNullable(Schema.String),
  firstLogin: optionalNullable(Schema.Boolean),
  healthCheckInterval: optionalNullable(Schema.Number),
  newClientForUpgrade: optionalNullable(Schema.String),
  idToken: optionalNullable(Schema.String),
  idTokenValidityInSeconds: optionalNullable(Schema.Number),
  mfaToken: optionalNullable(Schema.String),
  mfaTokenValidityInSeconds: optionalNullable(Schema.Number)
})
export type LoginResponseData = typeof LoginResponseData.Type

/** `data` of a failed login (390318, 390303, 394400 …): what the server suggests doing next. */
export const LoginFailureData = Schema.Struct({
  nextAction: optionalNullable(Schema.String),
  authnMethod: optionalNullable(Schema.String)
})
export type LoginFailureData = typeof LoginFailureData.Type

/** `POST /session/authenticator-request` answer (external browser SSO, §4.3). */
export const AuthenticatorResponseData = Schema.Struct({
  ssoUrl: Schema.String,
  proofKey: Schema.String
})
export type AuthenticatorResponseData = typeof AuthenticatorResponseData.Type
