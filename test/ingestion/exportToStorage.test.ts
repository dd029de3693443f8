/**
 * Exports to object storage through the public API: a query streamed from the emulator, written
 * by `Export.csv` to an `s3://` URL (s3rver) with `Snowflake.CloudStorage`, read back identical;
 * without credentials for the store, a typed error.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Export, Snowflake } from "../../src/index.js"
import { startS3rver } from "../support/storage.js"
import { withStages } from "./support.js"

describe("Snowflake.CloudStorage: exports to object-store URLs", () => {
  it.scopedLive("a query's CSV export goes to s3:// and reads back byte for byte", () =>
    Effect.gen(function* () {
      const { sf } = yield* withStages("local")
      const s3 = yield* startS3rver(["exports"])
      const storage = yield* Snowflake.CloudStorage
      const options = {
        s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }
      }
      const sql = "SELECT SEQ4() AS ID, 'name ' || SEQ4() AS NAME FROM TABLE(GENERATOR(ROWCOUNT => 5000))"
      const csv = Export.csv(sf.stream(sql, { rowMode: "array" }), ["ID", "NAME"])
      yield* storage.writeUrl("s3://exports/daily/ids.csv", csv, options)
      const back = yield* Stream.runCollect(storage.readUrl("s3://exports/daily/ids.csv", options))
      const text = Buffer.concat(Chunk.toArray(back)).toString("utf8")
      const expected = `ID,NAME\r\n${Array.from({ length: 5000 }, (_, i) => `${i},name ${i}\r\n`).join("")}`
      assert.strictEqual(text, expected)
      const refused = yield* Effect.flip(
        storage.writeUrl("s3://exports/x.csv", Stream.make(new Uint8Array(1)))
      )
      assert.strictEqual(refused._tag, "StageUploadError")
    }).pipe(Effect.provide(Snowflake.layerCloudStorage))
  )
})
