/**
 * Builds the `data` of a login request for the configured authentication (PROTOCOL.md §2–§4).
 * Built fresh for every login, so a key-pair JWT is always newly signed and short-lived.
 *
 * Seams for the flows not implemented yet: OAuth with refresh (renew `TOKEN` from a refresh token
 * before building the body) and external browser (authenticator-request, local redirect listener,
 * then `TOKEN` + `PROOF_KEY`) each become one more case of `credentials` below.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { KeyPairError, OAuthError, type SnowflakeError } from "../errors/index.js"
import { accountName } from "../protocol/auth/account.js"
import { loadPrivateKey, signKeyPairJwt } from "../protocol/auth/jwt.js"
import type { LoginRequestData } from "../protocol/wire/login.js"
import { type ResolvedConfig, SnowflakeConfig } from "./SnowflakeConfig.js"
import type { AuthOptions } from "./SnowflakeOptions.js"
import { CLIENT_APP_ID, CLIENT_APP_VERSION } from "./Transport.js"

export interface AuthenticatorService {
  /** The login request's `data`; contains the secret, so it goes into a request body and nowhere else. */
  readonly loginData: Effect.Effect<LoginRequestData, SnowflakeError>
}

export class Authenticator extends Context.Tag("effect-snowflake/Authenticator")<
  Authenticator,
  AuthenticatorService
>() {}

type Credentials = Pick<LoginRequestData, "AUTHENTICATOR" | "PASSWORD" | "TOKEN">

/** Signs a key-pair JWT (a parameter so tests can observe signing). */
export type KeyPairSigner = (input: {
  readonly account: string
  readonly user: string
  readonly privateKeyPem: Redacted.Redacted<string>
  readonly passphrase: Redacted.Redacted<string> | undefined
}) => Effect.Effect<string, KeyPairError>

const credentials = (
  config: ResolvedConfig,
  auth: AuthOptions,
  fs: FileSystem.FileSystem,
  signKeyPair: KeyPairSigner
): Effect.Effect<Credentials, SnowflakeError> => {
  switch (auth.type) {
    case "password":
      return Effect.succeed({ AUTHENTICATOR: "SNOWFLAKE", PASSWORD: Redacted.value(auth.password) })
    case "oauth":
      return Effect.succeed({ AUTHENTICATOR: "OAUTH", TOKEN: Redacted.value(auth.token) })
    case "pat":
      return Effect.succeed({ AUTHENTICATOR: "PROGRAMMATIC_ACCESS_TOKEN", TOKEN: Redacted.value(auth.token) })
    case "keypair": {
      const pem: Effect.Effect<Redacted.Redacted<string>, KeyPairError> = auth.privateKey !== undefined
        ? Effect.succeed(auth.privateKey)
        : fs.readFileString(auth.privateKeyPath ?? "").pipe(
            Effect.map(Redacted.make),
            Effect.mapError(
              (cause) =>
                new KeyPairError({
                  message: `Could not read the private key file ${auth.privateKeyPath}: ${cause.message}`
                })
            )
          )
      return pem.pipe(
        Effect.flatMap((privateKeyPem) =>
          signKeyPair({
            account: config.account,
            user: config.user,
            privateKeyPem,
            passphrase: auth.passphrase
          })
        ),
        Effect.map((jwt) => ({ AUTHENTICATOR: "SNOWFLAKE_JWT" as const, TOKEN: jwt }))
      )
    }
    case "externalbrowser":
      return Effect.fail(
        new OAuthError({
          message: "External browser authentication is not supported yet; use keypair, oauth or pat"
        })
      )
  }
}

export const makeWith = (
  config: ResolvedConfig,
  fs: FileSystem.FileSystem,
  signKeyPair: KeyPairSigner
): AuthenticatorService => ({
  loginData: Effect.map(
    credentials(config, config.auth, fs, signKeyPair),
    (creds): LoginRequestData => ({
      ACCOUNT_NAME: accountName(config.account),
      LOGIN_NAME: config.user,
      ...creds,
      CLIENT_APP_ID,
      CLIENT_APP_VERSION,
      CLIENT_ENVIRONMENT: { APPLICATION: CLIENT_APP_ID },
      SESSION_PARAMETERS: {}
    })
  )
})

/** Loads the PEM (plain or encrypted PKCS#8) and signs a JWT issued now (Clock), valid 60 s. */
export const signWithPem: KeyPairSigner = ({ account, passphrase, privateKeyPem, user }) =>
  Effect.gen(function* () {
    const privateKey = yield* loadPrivateKey(privateKeyPem, passphrase)
    const now = yield* Clock.currentTimeMillis
    return yield* signKeyPairJwt({ account, user, privateKey, issuedAt: new Date(now), lifetimeSeconds: 60 })
  })

export const make = (signKeyPair: KeyPairSigner = signWithPem) =>
  Effect.gen(function* () {
    const config = yield* SnowflakeConfig
    const fs = yield* FileSystem.FileSystem
    return makeWith(config, fs, signKeyPair)
  })

export const layer: Layer.Layer<Authenticator, never, SnowflakeConfig | FileSystem.FileSystem> = Layer.effect(
  Authenticator,
  make()
)
