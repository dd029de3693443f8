import { generateKeyPairSync } from "node:crypto"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { Emulator } from "../../src/emulator/index.js"
import * as Snowflake from "../../src/layers/Snowflake.js"
import type { AuthOptions } from "../../src/services/SnowflakeOptions.js"
import { clientOptions } from "./support.js"

const keys = generateKeyPairSync("rsa", { modulusLength: 2048 })
const otherKeys = generateKeyPairSync("rsa", { modulusLength: 2048 })
const publicPem = keys.publicKey.export({ type: "spki", format: "pem" }).toString()
const privatePem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString()
const passphrase = "open sesame 42"
const encryptedPem = keys.privateKey
  .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase })
  .toString()

const users = [
  {
    name: "KEYUSER",
    publicKeys: [publicPem],
    oauthTokens: ["oauth-access-token-xyz"],
    pats: ["pat-secret-token-abc"]
  }
]

/** Logs in as KEYUSER with `auth` and answers CURRENT_USER(). */
const currentUser = (url: string, auth: AuthOptions) =>
  Effect.scoped(
    Effect.gen(function* () {
      const context = yield* Layer.build(Snowflake.layer(clientOptions(url, { user: "KEYUSER", auth })))
      const sf = yield* Effect.provide(Snowflake.Client, context)
      const result = yield* sf.execute("SELECT CURRENT_USER() AS WHO", { rowMode: "array" })
      return result.rows[0]![0]
    })
  )

describe("authentication against the emulator", () => {
  it.scopedLive("key pair: inline PKCS#8, and an encrypted key read from a file with its passphrase", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ users })
      assert.strictEqual(
        yield* currentUser(emulator.url, { type: "keypair", privateKey: Redacted.make(privatePem) }),
        "KEYUSER"
      )
      const dir = mkdtempSync(join(tmpdir(), "sf-key-"))
      const keyPath = join(dir, "rsa_key.p8")
      writeFileSync(keyPath, encryptedPem)
      assert.strictEqual(
        yield* currentUser(emulator.url, {
          type: "keypair",
          privateKeyPath: keyPath,
          passphrase: Redacted.make(passphrase)
        }),
        "KEYUSER"
      )
    })
  )

  it.scopedLive("a key the user did not register is refused with InvalidCredentials", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ users })
      const otherPem = otherKeys.privateKey.export({ type: "pkcs8", format: "pem" }).toString()
      const error = yield* Effect.flip(
        currentUser(emulator.url, { type: "keypair", privateKey: Redacted.make(otherPem) })
      )
      assert.strictEqual(error._tag, "InvalidCredentials")
      assert.notInclude(JSON.stringify(error), "PRIVATE KEY")
    })
  )

  it.scopedLive("a wrong passphrase and a garbage key fail with KeyPairError, naming neither secret", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ users })
      const wrong = yield* Effect.flip(
        currentUser(emulator.url, {
          type: "keypair",
          privateKey: Redacted.make(encryptedPem),
          passphrase: Redacted.make("not the passphrase")
        })
      )
      assert.strictEqual(wrong._tag, "KeyPairError")
      assert.notInclude(JSON.stringify(wrong), "not the passphrase")
      const garbage = yield* Effect.flip(
        currentUser(emulator.url, { type: "keypair", privateKey: Redacted.make("-----BEGIN nonsense") })
      )
      assert.strictEqual(garbage._tag, "KeyPairError")
      assert.notInclude(garbage.message, "BEGIN nonsense")
    })
  )

  it.scopedLive("OAuth access tokens and programmatic access tokens", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ users })
      assert.strictEqual(
        yield* currentUser(emulator.url, { type: "oauth", token: Redacted.make("oauth-access-token-xyz") }),
        "KEYUSER"
      )
      assert.strictEqual(
        yield* currentUser(emulator.url, { type: "pat", token: Redacted.make("pat-secret-token-abc") }),
        "KEYUSER"
      )
      const refused = yield* Effect.flip(
        currentUser(emulator.url, { type: "pat", token: Redacted.make("pat-wrong") })
      )
      assert.strictEqual(refused._tag, "InvalidCredentials")
    })
  )
})
