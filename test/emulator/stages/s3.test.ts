/**
 * S3 stages: the emulator starts s3rver over TLS (self-signed); an object is written there with
 * @aws-sdk/client-s3 as a driver would (client-side encryption done here with node:crypto, S3
 * metadata keys x-amz-key / x-amz-iv / x-amz-matdesc), then listed, loaded and removed.
 */
import { createHash } from "node:crypto"
import { Agent } from "node:https"
import { gzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Emulator } from "../../../src/emulator/index.js"
import { encrypt, rows, sqlSession } from "./client.js"

describe("stages on s3 (s3rver over TLS)", () => {
  it.scopedLive("PUT instruction, encrypted object, LIST, COPY INTO, REMOVE", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ storage: "s3" })
      assert.match(emulator.storageCertificate ?? "", /BEGIN CERTIFICATE/)
      const sql = yield* sqlSession(emulator.url)
      yield* rows(sql, "CREATE TABLE t (id NUMBER, name VARCHAR)")
      const put = yield* sql("PUT file:///tmp/x.csv @%t")
      assert.isTrue(put.success)
      const info = put.data.stageInfo
      assert.strictEqual(info.locationType, "S3")
      assert.match(info.location, /^sfc-emulator-stages\/tables\/EMULATOR\/PUBLIC\/T\/$/)
      assert.match(info.endPoint, /^127\.0\.0\.1:\d+$/)
      assert.strictEqual(info.creds.AWS_KEY_ID, "S3RVER")
      assert.isString(info.region)
      const material = put.data.encryptionMaterial
      assert.strictEqual(Buffer.from(material.queryStageMasterKey, "base64").length, 16)

      const plain = gzipSync(Buffer.from("1,alice\n2,bob\n"))
      const e = encrypt(plain, material.queryStageMasterKey)
      const [bucket, ...rest] = (info.location as string).split("/")
      yield* Effect.promise(async () => {
        const { S3Client, PutObjectCommand } = await import("@aws-sdk/client-s3")
        const client = new S3Client({
          region: info.region,
          endpoint: `https://${info.endPoint}`,
          forcePathStyle: true,
          credentials: { accessKeyId: info.creds.AWS_KEY_ID, secretAccessKey: info.creds.AWS_SECRET_KEY },
          requestHandler: { httpsAgent: new Agent({ ca: emulator.storageCertificate }) }
        })
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `${rest.join("/")}x.csv.gz`,
            Body: e.body,
            Metadata: {
              "x-amz-key": e.wrappedKey,
              "x-amz-iv": e.iv,
              "x-amz-matdesc": JSON.stringify({ queryId: material.queryId, smkId: "1", keySize: "128" }),
              "sfc-digest": createHash("sha256").update(plain).digest("base64")
            }
          })
        )
        client.destroy()
      })

      const listed = yield* rows(sql, "LIST @%t")
      assert.deepStrictEqual(
        listed.map((r) => [r.name, r.size]),
        [["x.csv.gz", String(e.body.length)]]
      )
      const copy = yield* sql("COPY INTO t FROM @%t")
      assert.isTrue(copy.success, copy.message ?? "")
      assert.deepStrictEqual(copy.data.rowset[0].slice(0, 4), ["x.csv.gz", "LOADED", "2", "2"])
      assert.deepStrictEqual(
        (yield* rows(sql, "SELECT name FROM t ORDER BY id")).map((r) => r.NAME),
        ["alice", "bob"]
      )
      assert.deepStrictEqual(yield* rows(sql, "REMOVE @%t"), [{ name: "x.csv.gz", result: "removed" }])
      assert.deepStrictEqual(yield* rows(sql, "LIST @%t"), [])
    })
  )
})
