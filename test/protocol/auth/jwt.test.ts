import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { decodeProtectedHeader, jwtVerify } from "jose"
import { loadPrivateKey, publicKeyFingerprint, signKeyPairJwt } from "../../../src/protocol/auth/jwt.js"

const { privateKey: rsaKey, publicKey: rsaPublic } = generateKeyPairSync("rsa", { modulusLength: 2048 })
const pkcs8 = rsaKey.export({ type: "pkcs8", format: "pem" }).toString()
const pkcs1 = rsaKey.export({ type: "pkcs1", format: "pem" }).toString()
const passphrase = "correct horse battery staple"
const encrypted = rsaKey
  .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase })
  .toString()

const expectedFingerprint = `SHA256:${createHash("sha256")
  .update(rsaPublic.export({ type: "spki", format: "der" }))
  .digest("base64")}`

const load = (pem: string, pass?: string) =>
  loadPrivateKey(Redacted.make(pem), pass === undefined ? undefined : Redacted.make(pass))

const sameKey = (a: KeyObject, b: KeyObject) =>
  assert.strictEqual(
    createPublicKey(a).export({ type: "spki", format: "pem" }),
    createPublicKey(b).export({ type: "spki", format: "pem" })
  )

describe("loadPrivateKey", () => {
  it.effect("PKCS#8, PKCS#1 and encrypted PKCS#8 with the right passphrase", () =>
    Effect.gen(function* () {
      sameKey(yield* load(pkcs8), rsaKey)
      sameKey(yield* load(pkcs1), rsaKey)
      sameKey(yield* load(encrypted, passphrase), rsaKey)
    })
  )

  it.effect("encrypted key: wrong or missing passphrase is a KeyPairError that echoes nothing", () =>
    Effect.gen(function* () {
      const wrong = yield* Effect.either(load(encrypted, "nope-secret"))
      assert.isTrue(Either.isLeft(wrong))
      if (Either.isLeft(wrong)) {
        assert.strictEqual(wrong.left._tag, "KeyPairError")
        assert.match(wrong.left.message, /wrong passphrase/)
        assert.notInclude(wrong.left.message, "nope-secret")
        assert.notInclude(JSON.stringify(wrong.left), "nope-secret")
        assert.notInclude(wrong.left.message, encrypted.slice(40, 80))
      }
      const missing = yield* Effect.either(load(encrypted))
      assert.isTrue(Either.isLeft(missing) && /no passphrase/.test(missing.left.message))
    })
  )

  it.effect("garbage and non-RSA keys", () =>
    Effect.gen(function* () {
      const garbage = yield* Effect.either(load("definitely not a key"))
      assert.isTrue(Either.isLeft(garbage) && /not in PEM format/.test(garbage.left.message))
      const broken = yield* Effect.either(
        load("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
      )
      assert.isTrue(Either.isLeft(broken) && /could not be read/.test(broken.left.message))
      const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
        type: "pkcs8",
        format: "pem"
      })
      const notRsa = yield* Effect.either(load(ec.toString()))
      assert.isTrue(Either.isLeft(notRsa) && /needs an RSA key, got ec/.test(notRsa.left.message))
    })
  )
})

describe("publicKeyFingerprint", () => {
  it("is SHA256: + base64 of the DER SPKI, from private or public key", () => {
    assert.strictEqual(publicKeyFingerprint(rsaKey), expectedFingerprint)
    assert.strictEqual(publicKeyFingerprint(rsaPublic), expectedFingerprint)
    assert.match(expectedFingerprint, /^SHA256:[A-Za-z0-9+/]{43}=$/)
  })
})

describe("signKeyPairJwt", () => {
  it.effect("claims in seconds, RS256, verifiable with the public key", () =>
    Effect.gen(function* () {
      const privateKey = yield* load(pkcs8)
      const issuedAt = new Date("2026-11-01T12:00:00.750Z")
      const token = yield* signKeyPairJwt({
        account: "myorg-acct.us-east-1",
        user: "jUser",
        privateKey,
        issuedAt
      })
      assert.deepStrictEqual(decodeProtectedHeader(token), { alg: "RS256", typ: "JWT" })
      const { payload } = yield* Effect.promise(() =>
        jwtVerify(token, rsaPublic, { currentDate: new Date("2026-11-01T12:00:30Z"), algorithms: ["RS256"] })
      )
      const iat = Math.floor(issuedAt.getTime() / 1000)
      assert.deepStrictEqual(payload, {
        iss: `MYORG-ACCT.JUSER.${expectedFingerprint}`,
        sub: "MYORG-ACCT.JUSER",
        iat,
        exp: iat + 60
      })
    })
  )

  it.effect("custom lifetime; a token signed by another key does not verify", () =>
    Effect.gen(function* () {
      const privateKey = yield* load(pkcs1)
      const token = yield* signKeyPairJwt({
        account: "xy12345",
        user: "u",
        privateKey,
        issuedAt: new Date(0),
        lifetimeSeconds: 120
      })
      const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<
        string,
        number
      >
      assert.strictEqual(payload.exp! - payload.iat!, 120)
      const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey
      const result = yield* Effect.either(
        Effect.tryPromise(() => jwtVerify(token, other, { currentDate: new Date(1000) }))
      )
      assert.isTrue(Either.isLeft(result))
      const tooLong = yield* Effect.either(
        signKeyPairJwt({ account: "a", user: "u", privateKey, issuedAt: new Date(0), lifetimeSeconds: 7200 })
      )
      assert.isTrue(Either.isLeft(tooLong) && tooLong.left._tag === "KeyPairError")
    })
  )
})
