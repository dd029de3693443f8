/**
 * Azure stages: the emulator starts azurite itself; a blob is written with @azure/storage-blob
 * using the PUT instruction's endPoint and SAS token, encrypted here with node:crypto and carrying
 * Snowflake's `encryptiondata` metadata, then listed, loaded by COPY INTO and removed.
 */
import { createHash } from "node:crypto"
import { gzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Emulator } from "../../../src/emulator/index.js"
import { encrypt, rows, sqlSession } from "./client.js"

describe("stages on azure (azurite)", () => {
  it.scopedLive("PUT instruction, encrypted blob, LIST, COPY INTO, REMOVE", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ storage: "azure" })
      const sql = yield* sqlSession(emulator.url)
      yield* rows(sql, "CREATE TABLE t (id NUMBER, name VARCHAR)")
      const put = yield* sql("PUT file:///tmp/x.csv @~/up")
      assert.isTrue(put.success)
      const info = put.data.stageInfo
      assert.strictEqual(info.locationType, "AZURE")
      assert.strictEqual(info.storageAccount, "devstoreaccount1")
      assert.match(info.endPoint, /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/)
      assert.match(info.creds.AZURE_SAS_TOKEN, /^\?.*sig=/)
      const material = put.data.encryptionMaterial

      const plain = gzipSync(Buffer.from("1,alice\n2,bob\n3,carol\n"))
      const e = encrypt(plain, material.queryStageMasterKey)
      const [container, ...rest] = (info.location as string).split("/")
      yield* Effect.promise(async () => {
        const { BlobServiceClient } = await import("@azure/storage-blob")
        const client = new BlobServiceClient(`${info.endPoint}${info.creds.AZURE_SAS_TOKEN}`)
        await client
          .getContainerClient(container!)
          .getBlockBlobClient(`${rest.join("/")}x.csv.gz`)
          .uploadData(e.body, {
            metadata: {
              sfcdigest: createHash("sha256").update(plain).digest("base64"),
              matdesc: JSON.stringify({ queryId: material.queryId, smkId: "1", keySize: "128" }),
              encryptiondata: JSON.stringify({
                EncryptionMode: "FullBlob",
                WrappedContentKey: {
                  KeyId: "symmKey1",
                  EncryptedKey: e.wrappedKey,
                  Algorithm: "AES_CBC_256"
                },
                EncryptionAgent: { Protocol: "1.0", EncryptionAlgorithm: "AES_CBC_128" },
                ContentEncryptionIV: e.iv,
                KeyWrappingMetadata: { EncryptionLibrary: "Java 5.3.0" }
              })
            }
          })
      })

      const listed = yield* rows(sql, "LIST @~")
      assert.deepStrictEqual(
        listed.map((r) => [r.name, r.size]),
        [["up/x.csv.gz", String(e.body.length)]]
      )
      const copy = yield* sql("COPY INTO t FROM @~/up")
      assert.isTrue(copy.success, copy.message ?? "")
      assert.deepStrictEqual(copy.data.rowset[0].slice(0, 4), ["up/x.csv.gz", "LOADED", "3", "3"])
      assert.deepStrictEqual(
        (yield* rows(sql, "SELECT name FROM t ORDER BY id")).map((r) => r.NAME),
        ["alice", "bob", "carol"]
      )
      assert.deepStrictEqual(yield* rows(sql, "REMOVE @~/up"), [{ name: "up/x.csv.gz", result: "removed" }])
      assert.deepStrictEqual(yield* rows(sql, "LIST @~"), [])
    })
  )
})
