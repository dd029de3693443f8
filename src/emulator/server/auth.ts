/**
 * Login authentication (PROTOCOL.md §2–§4): password, key-pair JWT, OAuth token, PAT. Failures use
 * the codes and messages real drivers react to (§2.3).
 */
import { createHash, createPublicKey } from "node:crypto"
import { Effect } from "effect"
import type { EmulatorUser } from "./options.js"

export interface LoginFailure {
  readonly code: string
  readonly message: string
  readonly data: unknown
}

const failure = (code: string, message: string, data: unknown = null): LoginFailure => ({
  code,
  message,
  data
})

export const badPassword = failure("390100", "Incorrect username or password was specified.")
export const badJwt = failure("390144", "JWT token is invalid.")
export const badOAuth = failure("390303", "Invalid OAuth access token.")
export const badPat = failure("394400", "Programmatic access token is invalid.", {
  nextAction: "RETRY_LOGIN",
  authnMethod: "PAT",
  signInOptions: {}
})

/** The login body fields authentication looks at. */
export interface LoginData {
  readonly LOGIN_NAME?: unknown
  readonly PASSWORD?: unknown
  readonly AUTHENTICATOR?: unknown
  readonly TOKEN?: unknown
  readonly ACCOUNT_NAME?: unknown
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

const findUser = (users: ReadonlyArray<EmulatorUser>, name: string | undefined) =>
  name === undefined ? undefined : users.find((u) => u.name.toUpperCase() === name.toUpperCase())

/** `SHA256:<base64>` of the DER SubjectPublicKeyInfo, as in the JWT `iss` (§3). */
export const publicKeyFingerprint = (pem: string): string =>
  `SHA256:${createHash("sha256")
    .update(createPublicKey(pem).export({ type: "spki", format: "der" }))
    .digest("base64")}`

/** Node puts milliseconds into iat/exp, Python and Go seconds (§16.9): accept both. */
const toMillis = (value: number): number => (value > 1e11 ? value : value * 1000)

const verifyJwt = (
  users: ReadonlyArray<EmulatorUser>,
  loginName: string | undefined,
  token: string,
  nowMillis: number
): Effect.Effect<EmulatorUser, LoginFailure> =>
  Effect.gen(function* () {
    const parts = token.split(".")
    if (parts.length !== 3) return yield* Effect.fail(badJwt)
    const claims = yield* Effect.try({
      try: () => JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<string, unknown>,
      catch: () => badJwt
    })
    const iss = str(claims.iss)
    const sub = str(claims.sub)
    const exp = typeof claims.exp === "number" ? claims.exp : undefined
    if (iss === undefined || sub === undefined || exp === undefined) return yield* Effect.fail(badJwt)
    const marker = iss.lastIndexOf(".SHA256:")
    if (marker < 0 || iss.slice(0, marker).toUpperCase() !== sub.toUpperCase())
      return yield* Effect.fail(badJwt)
    const fingerprint = iss.slice(marker + 1)
    const subUser = sub.slice(sub.indexOf(".") + 1)
    if (loginName !== undefined && subUser.toUpperCase() !== loginName.toUpperCase()) {
      return yield* Effect.fail(badJwt)
    }
    if (toMillis(exp) < nowMillis) return yield* Effect.fail(badJwt)
    const user = findUser(users, subUser)
    const pem = user?.publicKeys?.find((key) => {
      try {
        return publicKeyFingerprint(key) === fingerprint
      } catch {
        return false
      }
    })
    if (user === undefined || pem === undefined) return yield* Effect.fail(badJwt)
    yield* Effect.tryPromise({
      // jose is loaded on the first key-pair login only: ~40 ms of the start that most never use
      try: async () => {
        const { compactVerify, importSPKI } = await import("jose")
        return compactVerify(token, await importSPKI(pem, "RS256"))
      },
      catch: () => badJwt
    })
    return user
  })

/**
 * Authenticates a login; the result is the user name the session runs as. With no users
 * configured every login is accepted (a permissive local default).
 */
export const authenticate = (
  users: ReadonlyArray<EmulatorUser>,
  data: LoginData,
  nowMillis: number
): Effect.Effect<{ readonly name: string; readonly user: EmulatorUser | undefined }, LoginFailure> =>
  Effect.gen(function* () {
    const loginName = str(data.LOGIN_NAME)
    const authenticator = (str(data.AUTHENTICATOR) ?? "SNOWFLAKE").toUpperCase()
    const token = str(data.TOKEN)
    if (users.length === 0) return { name: loginName ?? "EMULATOR", user: undefined }
    switch (authenticator) {
      case "SNOWFLAKE_JWT": {
        if (token === undefined) return yield* Effect.fail(badJwt)
        const user = yield* verifyJwt(users, loginName, token, nowMillis)
        return { name: user.name, user }
      }
      case "OAUTH": {
        const user = users.find(
          (u) =>
            token !== undefined &&
            (u.oauthTokens ?? []).includes(token) &&
            (loginName === undefined || u.name.toUpperCase() === loginName.toUpperCase())
        )
        if (user === undefined) return yield* Effect.fail(badOAuth)
        return { name: user.name, user }
      }
      case "PROGRAMMATIC_ACCESS_TOKEN": {
        // Node falls back to the password field for the PAT (§4.2).
        const pat = token ?? str(data.PASSWORD)
        const user = findUser(users, loginName)
        if (user === undefined || pat === undefined || !(user.pats ?? []).includes(pat)) {
          return yield* Effect.fail(badPat)
        }
        return { name: user.name, user }
      }
      default: {
        const user = findUser(users, loginName)
        const password = str(data.PASSWORD)
        if (user === undefined || user.password === undefined || user.password !== password) {
          return yield* Effect.fail(badPassword)
        }
        return { name: user.name, user }
      }
    }
  })
