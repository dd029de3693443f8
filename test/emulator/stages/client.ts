/**
 * Test helpers for stages: a minimal wire client (login + query-request over loopback) and the
 * client side of storage written independently of the emulator — Snowflake's client-side
 * encryption (§9.4) with node:crypto, and uploads as the drivers do them.
 */
import { createCipheriv, createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { gzipSync } from "node:zlib"
import { Effect } from "effect"

/** Response JSON as tests read it: shapes are asserted, not typed. */
// biome-ignore lint/suspicious/noExplicitAny: loosely typed wire JSON in tests
export type Json = any

export interface SqlAnswer {
  readonly text: string
  readonly success: boolean
  readonly code: string | null
  readonly message: string | null
  readonly data: Record<string, Json>
}

const post = (url: string, body: unknown, token?: string) =>
  Effect.promise(async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(token !== undefined ? { authorization: `Snowflake Token="${token}"` } : {})
      },
      body: JSON.stringify(body)
    })
    return res.text()
  })

/** Runs one statement; `extra` goes into the query-request body beside `sqlText` (`bindStage`, …). */
export type Sql = (sqlText: string, extra?: Record<string, unknown>) => Effect.Effect<SqlAnswer>

/** Logs in and returns a function running one statement per call. */
export const sqlSession = (base: string) => Effect.map(openSession(base), (session) => session.sql)

/** Logs in: the statement runner and the logout (which ends the session). */
export const openSession = (base: string) =>
  Effect.gen(function* () {
    const loginText = yield* post(`${base}/session/v1/login-request?requestId=${crypto.randomUUID()}`, {
      data: { LOGIN_NAME: "tester", PASSWORD: "p" }
    })
    const token = JSON.parse(loginText).data.token as string
    const sql: Sql = (sqlText, extra = {}) =>
      Effect.map(
        post(
          `${base}/queries/v1/query-request?requestId=${crypto.randomUUID()}`,
          { ...extra, sqlText },
          token
        ),
        (text) => {
          const json = JSON.parse(text)
          return {
            text,
            success: json.success,
            code: json.code,
            message: json.message,
            data: json.data ?? {}
          }
        }
      )
    const logout = post(`${base}/session?delete=true&requestId=${crypto.randomUUID()}`, {}, token)
    return { sql, logout }
  })

/** Runs a statement that must succeed; its rows as objects keyed by column name. */
export const rows = (sql: Sql, sqlText: string) =>
  Effect.flatMap(sql(sqlText), (answer) =>
    answer.success
      ? Effect.succeed(
          (answer.data.rowset as Array<Array<string | null>>).map((row) =>
            Object.fromEntries(
              (answer.data.rowtype as Array<{ name: string }>).map((c, i) => [c.name, row[i] ?? null])
            )
          )
        )
      : Effect.die(new Error(`${sqlText} failed: ${answer.code} ${answer.message}`))
  )

export interface Encrypted {
  readonly body: Buffer
  readonly wrappedKey: string
  readonly iv: string
  readonly keyBits: number
}

/** Snowflake client-side encryption: random file key + IV, AES-CBC content, AES-ECB-wrapped key. */
export const encrypt = (plain: Buffer, masterKeyB64: string): Encrypted => {
  const master = Buffer.from(masterKeyB64, "base64")
  const fileKey = randomBytes(master.length)
  const iv = randomBytes(16)
  const cipher = createCipheriv(`aes-${fileKey.length * 8}-cbc`, fileKey, iv)
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  const wrap = createCipheriv(`aes-${master.length * 8}-ecb`, master, null)
  const wrapped = Buffer.concat([wrap.update(fileKey), wrap.final()])
  return {
    body,
    wrappedKey: wrapped.toString("base64"),
    iv: iv.toString("base64"),
    keyBits: master.length * 8
  }
}

const encryptionData = (e: Encrypted) =>
  JSON.stringify({
    EncryptionMode: "FullBlob",
    WrappedContentKey: { KeyId: "symmKey1", EncryptedKey: e.wrappedKey, Algorithm: "AES_CBC_256" },
    EncryptionAgent: { Protocol: "1.0", EncryptionAlgorithm: "AES_CBC_256" },
    ContentEncryptionIV: e.iv,
    KeyWrappingMetadata: { EncryptionLibrary: "Java 5.3.0" }
  })

/** PUT's instruction for `@stage`, then the file written where it says, as a driver would. */
export const upload = (sql: Sql, stage: string, name: string, content: string | Buffer, gzip = true) =>
  Effect.gen(function* () {
    const answer = yield* sql(`PUT file:///tmp/${name} ${stage}`)
    if (!answer.success) return yield* Effect.die(new Error(`PUT failed: ${answer.message}`))
    const data = answer.data
    const info = data.stageInfo as Record<string, Json>
    const raw = typeof content === "string" ? Buffer.from(content) : content
    const plain = gzip ? gzipSync(raw) : raw
    const target = gzip ? `${name}.gz` : name
    const digest = createHash("sha256").update(plain).digest("base64")
    const material = data.encryptionMaterial as { queryStageMasterKey: string; queryId: string } | null
    if (info.locationType === "LOCAL_FS") {
      yield* Effect.promise(async () => {
        await fs.mkdir(info.location, { recursive: true })
        await fs.writeFile(nodePath.join(info.location, target), plain)
      })
      return target
    }
    if (info.locationType === "GCS") {
      const e = encrypt(plain, material!.queryStageMasterKey)
      const [bucket, ...rest] = (info.location as string).split("/")
      const url = `${info.endPoint}/${bucket}/${rest.join("/")}${target}`
      const status = yield* Effect.promise(async () => {
        const res = await fetch(url, {
          method: "PUT",
          headers: {
            authorization: `Bearer ${info.creds.GCS_ACCESS_TOKEN}`,
            "x-goog-meta-sfc-digest": digest,
            "x-goog-meta-matdesc": JSON.stringify({
              smkId: "1",
              queryId: material!.queryId,
              keySize: String(e.keyBits)
            }),
            "x-goog-meta-encryptiondata": encryptionData(e)
          },
          body: e.body
        })
        return res.status
      })
      if (status !== 200) return yield* Effect.die(new Error(`GCS upload answered ${status}`))
      return target
    }
    return yield* Effect.die(new Error(`unsupported location type ${info.locationType}`))
  })
