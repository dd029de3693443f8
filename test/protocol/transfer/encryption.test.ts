import { createDecipheriv, createHash, randomBytes } from "node:crypto"
import { gzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Encryption from "../../../src/protocol/transfer/encryption.js"
import * as Metadata from "../../../src/protocol/transfer/metadata.js"
import { materialFor, TransferInstruction } from "../../../src/protocol/transfer/stageInfo.js"
import { parseJson } from "../../../src/protocol/wire/envelope.js"
import { fixtureText } from "../fixtures.js"

const material = (keyBytes: number) => ({
  queryStageMasterKey: Redacted.make(randomBytes(keyBytes).toString("base64")),
  queryId: "01c0e577-000b-aba8-0000-4c390147020a",
  smkId: "900719925474099333"
})

const encryptAll = (file: Encryption.FileEncryption, chunks: ReadonlyArray<Uint8Array>) => {
  const cipher = file.encryptor()
  return Buffer.concat([...chunks.map((c) => cipher.update(c)), cipher.final()])
}

/** PROTOCOL.md §9.4 / §16.10, written independently: unwrap with AES-ECB, decrypt with AES-CBC. */
const documentedDecrypt = (
  masterKeyB64: string,
  envelope: Encryption.EncryptionEnvelope,
  body: Uint8Array
) => {
  const master = Buffer.from(masterKeyB64, "base64")
  const bits = master.length * 8
  const unwrap = createDecipheriv(`aes-${bits}-ecb`, master, null)
  const fileKey = Buffer.concat([unwrap.update(Buffer.from(envelope.wrappedKey, "base64")), unwrap.final()])
  const decipher = createDecipheriv(
    `aes-${fileKey.length * 8}-cbc`,
    fileKey,
    Buffer.from(envelope.iv, "base64")
  )
  return { fileKey, plain: Buffer.concat([decipher.update(body), decipher.final()]) }
}

describe("client-side encryption", () => {
  for (const keyBytes of [16, 32]) {
    it(`${keyBytes * 8}-bit master key: the documented recipe decrypts what we encrypt`, () => {
      const m = material(keyBytes)
      const plain = gzipSync(Buffer.from("a,b,c\n1,2,3\n".repeat(50)))
      const file = Encryption.forNewFile(m)
      const body = encryptAll(file, [plain.subarray(0, 5), plain.subarray(5)])
      assert.isFalse(body.subarray(0, plain.length).equals(plain))
      const { fileKey, plain: back } = documentedDecrypt(
        Redacted.value(m.queryStageMasterKey),
        file.envelope,
        body
      )
      assert.strictEqual(fileKey.length, keyBytes)
      assert.strictEqual(Buffer.from(file.envelope.wrappedKey, "base64").length, keyBytes + 16)
      assert.strictEqual(Buffer.from(file.envelope.iv, "base64").length, 16)
      assert.isTrue(back.equals(plain))
      // body is PKCS#7-padded: the next multiple of 16
      assert.strictEqual(body.length, (Math.floor(plain.length / 16) + 1) * 16)
      assert.strictEqual(
        file.envelope.matdesc,
        `{"smkId":"900719925474099333","queryId":"${m.queryId}","keySize":"${keyBytes * 8}"}`
      )
      // and our decryptor agrees
      const decipher = Encryption.decryptorFor(m, file.envelope)
      assert.isTrue(Buffer.concat([decipher.update(body), decipher.final()]).equals(plain))
    })
  }

  it("fresh key and IV per file", () => {
    const m = material(16)
    const a = Encryption.forNewFile(m).envelope
    const b = Encryption.forNewFile(m).envelope
    assert.notStrictEqual(a.wrappedKey, b.wrappedKey)
    assert.notStrictEqual(a.iv, b.iv)
  })

  it("a wrong master key or a tampered body does not decrypt silently", () => {
    const m = material(16)
    const plain = Buffer.from("x".repeat(100))
    const file = Encryption.forNewFile(m)
    const body = encryptAll(file, [plain])
    let failures = 0
    for (let i = 0; i < 20; i++) {
      const other = material(16)
      try {
        const d = Encryption.decryptorFor(other, file.envelope)
        const out = Buffer.concat([d.update(body), d.final()])
        if (!out.equals(plain)) failures++
      } catch {
        failures++
      }
    }
    assert.strictEqual(failures, 20)
    // Tampering with the last block breaks the padding or the digest (callers compare sfc-digest).
    const tampered = Buffer.from(body)
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0xff
    let ok = true
    try {
      const d = Encryption.decryptorFor(m, file.envelope)
      const out = Buffer.concat([d.update(tampered), d.final()])
      ok =
        createHash("sha256").update(out).digest("base64") ===
        createHash("sha256").update(plain).digest("base64")
    } catch {
      ok = false
    }
    assert.isFalse(ok)
  })
})

describe("stored metadata per cloud", () => {
  const envelope = {
    wrappedKey: "V1JBUFBFRA==",
    iv: "SVYxMjM0NTY3ODkwMTIzNA==",
    matdesc: '{"smkId":"1","queryId":"q","keySize":"128"}'
  }
  it("S3: x-amz-key / x-amz-iv / x-amz-matdesc / sfc-digest, round trip", () => {
    const stored = { digest: "ZA==", encryption: envelope }
    const s3 = Metadata.toS3(stored)
    assert.deepStrictEqual(Object.keys(s3).sort(), ["sfc-digest", "x-amz-iv", "x-amz-key", "x-amz-matdesc"])
    assert.deepStrictEqual(Metadata.fromS3(s3), stored)
    // the Node driver's literal SFC_DIGEST key, as S3 lower-cases it
    assert.strictEqual(Metadata.fromS3({ sfc_digest: "ZA==" }).digest, "ZA==")
  })
  it("Azure: encryptiondata JSON + matdesc + sfcdigest", () => {
    const azure = Metadata.toAzure({ digest: "ZA==", encryption: envelope })
    const data = JSON.parse(azure.encryptiondata!)
    assert.strictEqual(data.EncryptionMode, "FullBlob")
    assert.deepStrictEqual(data.WrappedContentKey, {
      KeyId: "symmKey1",
      EncryptedKey: envelope.wrappedKey,
      Algorithm: "AES_CBC_256"
    })
    assert.strictEqual(data.ContentEncryptionIV, envelope.iv)
    assert.strictEqual(azure.sfcdigest, "ZA==")
    assert.deepStrictEqual(Metadata.fromAzure(azure), { digest: "ZA==", encryption: envelope })
  })
  it("GCS: x-goog-meta-* headers", () => {
    const headers = Metadata.toGcsHeaders({ digest: "ZA==", encryption: envelope })
    assert.strictEqual(
      JSON.parse(headers["x-goog-meta-encryptiondata"]!).EncryptionAgent.EncryptionAlgorithm,
      "AES_CBC_256"
    )
    assert.deepStrictEqual(Metadata.fromGcsHeaders(headers), { digest: "ZA==", encryption: envelope })
    assert.deepStrictEqual(Metadata.toGcsHeaders({ digest: "ZA==" }), { "x-goog-meta-sfc-digest": "ZA==" })
  })
})

describe("transfer instruction fixtures", () => {
  const decode = Schema.decodeUnknownEither(TransferInstruction)
  const load = (name: string) => (parseJson(fixtureText(name)) as { data: unknown }).data

  it("S3 encrypted upload: big smkId exact, creds redacted", () => {
    const result = decode(load("put-upload-s3-encrypted.nodejs-wiremock.json"))
    assert.isTrue(Either.isRight(result))
    const instruction = Either.getOrThrow(result)
    assert.strictEqual(instruction.command, "UPLOAD")
    assert.strictEqual(instruction.stageInfo.locationType, "S3")
    assert.strictEqual(materialFor(instruction, 0)?.smkId, "900719925474099333")
    assert.isTrue(Redacted.isRedacted(instruction.stageInfo.creds.AWS_SECRET_KEY))
    assert.notInclude(String(instruction.stageInfo.creds.AWS_SECRET_KEY), "TEST_AWS_SECRET_KEY")
    assert.notInclude(JSON.stringify(instruction), "TEST_AWS_SECRET_KEY")
    assert.notInclude(JSON.stringify(instruction), "STAGE_MASTER_KEY")
  })

  it("GCS token upload without encryption", () => {
    const instruction = Either.getOrThrow(decode(load("put-upload-gcs-token.nodejs-wiremock.json")))
    assert.strictEqual(instruction.stageInfo.locationType, "GCS")
    assert.strictEqual(materialFor(instruction, 0), undefined)
    assert.strictEqual(instruction.overwrite, true)
  })
})
