/**
 * Key-pair authentication (PROTOCOL.md §3, §16.9): loading the RSA private key and signing the
 * JWT that goes into the login request's `TOKEN`.
 *
 * Claims: `iss` = `<ACCOUNT>.<USER>.SHA256:<fingerprint>`, `sub` = `<ACCOUNT>.<USER>`, `iat` and
 * `exp` in seconds (as the Python and Go drivers send; Node sends milliseconds, which the server
 * also tolerates). The fingerprint is base64 (padded) SHA-256 of the public key's DER
 * SubjectPublicKeyInfo. Errors never contain key material or passphrases.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { SignJWT } from "jose"
import { KeyPairError } from "../../errors/Authentication.js"
import { normalizeAccount } from "./account.js"

const opensslCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === "string" ? code : undefined
}

const keyError = (pem: string, hasPassphrase: boolean, error: unknown): KeyPairError => {
  const encrypted = pem.includes("ENCRYPTED")
  const code = opensslCode(error)
  const detail = code ? ` (${code})` : ""
  if (!pem.includes("-----BEGIN")) {
    return new KeyPairError({
      message: "The private key is not in PEM format (expected -----BEGIN … PRIVATE KEY-----)"
    })
  }
  if (encrypted && !hasPassphrase) {
    return new KeyPairError({ message: "The private key is encrypted and no passphrase was given" })
  }
  if (encrypted) {
    return new KeyPairError({ message: `The private key could not be decrypted: wrong passphrase?${detail}` })
  }
  return new KeyPairError({ message: `The private key could not be read${detail}` })
}

/**
 * Reads an RSA private key from PEM: PKCS#8 (`BEGIN PRIVATE KEY`), encrypted PKCS#8
 * (`BEGIN ENCRYPTED PRIVATE KEY`, needs the passphrase) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
 */
export const loadPrivateKey = Effect.fn("Snowflake.loadPrivateKey")(function* (
  pem: Redacted.Redacted<string>,
  passphrase?: Redacted.Redacted<string>
) {
  const text = Redacted.value(pem)
  const key = yield* Effect.try({
    try: () =>
      createPrivateKey(
        passphrase === undefined
          ? { key: text, format: "pem" }
          : { key: text, format: "pem", passphrase: Redacted.value(passphrase) }
      ),
    catch: (error) => keyError(text, passphrase !== undefined, error)
  })
  if (key.asymmetricKeyType !== "rsa") {
    return yield* new KeyPairError({
      message: `Snowflake key-pair authentication needs an RSA key, got ${key.asymmetricKeyType ?? "an unknown key type"}`
    })
  }
  return key
})

/** `SHA256:` + base64 of the SHA-256 of the DER SubjectPublicKeyInfo (what Snowflake stores as RSA_PUBLIC_KEY_FP). */
export const publicKeyFingerprint = (key: KeyObject): string => {
  const publicKey = key.type === "private" ? createPublicKey(key) : key
  const der = publicKey.export({ type: "spki", format: "der" })
  return `SHA256:${createHash("sha256").update(der).digest("base64")}`
}

export interface KeyPairJwtOptions {
  /** The configured account (suffixes allowed; normalised here). */
  readonly account: string
  readonly user: string
  readonly privateKey: KeyObject
  /** Issue time; take it from `Clock` so tests control it. */
  readonly issuedAt: Date
  /** Defaults to 60 s like the Python and Go drivers; Snowflake allows at most one hour. */
  readonly lifetimeSeconds?: number
}

/** The RS256 JWT for `AUTHENTICATOR: SNOWFLAKE_JWT`. */
export const signKeyPairJwt = Effect.fn("Snowflake.signKeyPairJwt")(function* (options: KeyPairJwtOptions) {
  const subject = `${normalizeAccount(options.account)}.${options.user.toUpperCase()}`
  const issuedAt = Math.floor(options.issuedAt.getTime() / 1000)
  const lifetime = options.lifetimeSeconds ?? 60
  if (!Number.isFinite(lifetime) || lifetime <= 0 || lifetime > 3600) {
    return yield* new KeyPairError({
      message: `JWT lifetime must be between 1 and 3600 seconds, got ${lifetime}`
    })
  }
  const fingerprint = yield* Effect.try({
    try: () => publicKeyFingerprint(options.privateKey),
    catch: () =>
      new KeyPairError({ message: "Could not derive the public key fingerprint from the private key" })
  })
  return yield* Effect.tryPromise({
    try: () =>
      new SignJWT({})
        .setProtectedHeader({ alg: "RS256", typ: "JWT" })
        .setIssuer(`${subject}.${fingerprint}`)
        .setSubject(subject)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + lifetime)
        .sign(options.privateKey),
    catch: (error) =>
      new KeyPairError({
        message: `Could not sign the key-pair JWT${opensslCode(error) ? ` (${opensslCode(error)})` : ""}`
      })
  })
})
