/**
 * Conformance for stage binding: above CLIENT_STAGE_ARRAY_BINDING_THRESHOLD (65,280 values, sent
 * at login) the official snowflake-sdk creates the temporary stage SYSTEM$BIND, PUTs the binds as
 * CSV and sends the INSERT with `bindStage` and no `bindings` (PROTOCOL.md §5.2). The sdk falls back
 * to inline binds without a word when any of that fails, so these tests watch the wire: a proxy in
 * front of the emulator records every query-request body, and the emulator's history must show
 * the sdk's CREATE STAGE and PUT.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { gunzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Emulator, type EmulatorHandle } from "../../src/emulator/index.js"
import { connect, execute } from "./sdk.js"

interface QueryRequest {
  readonly sqlText: string
  readonly bindStage?: string
  readonly bindings?: unknown
}

/** An HTTP proxy to `target` that keeps the body of every query-request going through it. */
const recordingProxy = (target: string) =>
  Effect.acquireRelease(
    Effect.async<{ url: string; server: http.Server; queries: Array<QueryRequest> }>((resume) => {
      const queries: Array<QueryRequest> = []
      const server = http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          const body = Buffer.concat(chunks)
          if (req.url?.startsWith("/queries/v1/query-request")) {
            const plain = req.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body
            queries.push(JSON.parse(plain.toString("utf8")) as QueryRequest)
          }
          const upstream = http.request(
            `${target}${req.url}`,
            { method: req.method, headers: req.headers },
            (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers)
              answer.pipe(res)
            }
          )
          upstream.on("error", (e) => res.writeHead(502).end(String(e)))
          upstream.end(body)
        })
      })
      server.listen(0, "127.0.0.1", () =>
        resume(
          Effect.succeed({
            url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            server,
            queries
          })
        )
      )
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/** Text that needs the sdk's CSV quoting, and text that must come back exactly as it went. */
const TEXTS = [
  "plain",
  'with "quotes"',
  "comma, inside",
  "new\nline",
  "crlf\r\nend",
  "tab\there",
  "back\\slash",
  "héllo wörld",
  "日本語のテキスト",
  "emoji 🎉👍",
  '"',
  ",",
  '""',
  " padded ",
  "NULL",
  "\\N",
  "it's",
  "cr\rinside"
]

type BindRow = [number, string | null, number | null]

/** Row i: an integer id, a string (null every 7th, "" every 11th), an integer or null. */
const bindRow = (i: number): BindRow => [
  i,
  i % 7 === 3 ? null : i % 11 === 5 ? "" : `${TEXTS[i % TEXTS.length]}#${i}`,
  i % 5 === 2 ? null : ((i * 7919) % 2_000_003) - 1_000_000
]

/** The sdk's statements for one stage-bound execute, checked on the wire and in the history. */
const assertStagePath = (
  emulator: EmulatorHandle,
  queries: ReadonlyArray<QueryRequest>,
  insert: string
): string => {
  const bound = queries.filter((q) => q.bindStage !== undefined)
  assert.strictEqual(bound.length, 1, "one query-request with bindStage")
  assert.strictEqual(bound[0]!.sqlText, insert)
  assert.isUndefined(bound[0]!.bindings, "no inline bindings beside bindStage")
  assert.isFalse(
    queries.some((q) => q.sqlText === insert && q.bindStage === undefined),
    "no inline fallback"
  )
  const stage = bound[0]!.bindStage!
  assert.match(stage, /^@SYSTEM\$BIND\/[0-9a-f-]{36}$/)
  const history = emulator.history()
  assert.isTrue(
    history.some(
      (h) => h.sqlText.startsWith("CREATE OR REPLACE TEMPORARY STAGE SYSTEM$BIND") && h.status === "SUCCESS"
    ),
    "CREATE TEMPORARY STAGE SYSTEM$BIND ran"
  )
  const puts = history.filter((h) => h.sqlText.startsWith("PUT file://") && h.sqlText.includes(`'${stage}'`))
  assert.isAbove(puts.length, 0, "the binds were PUT to the stage")
  assert.isTrue(puts.every((h) => h.status === "SUCCESS"))
  assert.strictEqual(history.find((h) => h.sqlText === insert)?.status, "SUCCESS")
  return stage
}

describe("snowflake-sdk stage binding (GCS stage, encrypted)", () => {
  const setup = Effect.gen(function* () {
    const emulator = yield* Emulator.start({ storage: "gcs" })
    const proxy = yield* recordingProxy(emulator.url)
    const connection = yield* connect(proxy.url)
    return { emulator, proxy, connection }
  })

  it.scopedLive(
    "100,000 rows × 3 columns go through SYSTEM$BIND and come back identical",
    () =>
      Effect.gen(function* () {
        const { emulator, proxy, connection } = yield* setup
        yield* execute(connection, "CREATE TABLE t (id NUMBER, s VARCHAR, n NUMBER)")
        const binds = Array.from({ length: 100_000 }, (_, i) => bindRow(i))
        const insert = "INSERT INTO t VALUES (?, ?, ?)"
        const done = yield* execute(connection, insert, { binds })
        assert.deepStrictEqual(done.rows, [{ "number of rows inserted": 100_000 }])
        assert.strictEqual(done.statement.getNumUpdatedRows(), 100_000)
        assertStagePath(emulator, proxy.queries, insert)

        const back = yield* execute(connection, "SELECT id, s, n FROM t ORDER BY id")
        assert.strictEqual(back.rows.length, binds.length)
        let mismatches = 0
        back.rows.forEach((row, i) => {
          const [id, s, n] = binds[i]!
          if (row.ID !== id || row.S !== s || row.N !== n) {
            if (mismatches++ < 5) assert.deepStrictEqual(row, { ID: id, S: s, N: n }, `row ${i}`)
          }
        })
        assert.strictEqual(mismatches, 0)

        // and the table's own checksum agrees with the rows sent
        const strings = binds.flatMap(([, s]) => (s === null ? [] : [s]))
        const numbers = binds.flatMap(([, , n]) => (n === null ? [] : [n]))
        const sums = yield* execute(
          connection,
          `SELECT COUNT(*) AS n, SUM(id) AS ids, COUNT(s) AS strings, COUNT_IF(s = '') AS empties,
             SUM(LENGTH(s)) AS chars, COUNT(n) AS numbers, SUM(n) AS total FROM t`
        )
        assert.deepStrictEqual(sums.rows[0], {
          N: 100_000,
          IDS: (100_000 * 99_999) / 2,
          STRINGS: strings.length,
          EMPTIES: strings.filter((s) => s === "").length,
          CHARS: strings.reduce((sum, s) => sum + [...s].length, 0),
          NUMBERS: numbers.length,
          TOTAL: numbers.reduce((sum, n) => sum + n, 0)
        })
      }),
    120_000
  )

  it.scopedLive(
    "one nullable column: NULLs (a last one too) and empty strings stay apart",
    () =>
      Effect.gen(function* () {
        const { emulator, proxy, connection } = yield* setup
        yield* execute(connection, "CREATE TABLE u (v VARCHAR)")
        const values = Array.from({ length: 70_000 }, (_, i) =>
          i === 69_999 || i % 3 === 0 ? null : i % 3 === 1 ? "" : `v${i}`
        )
        const insert = "INSERT INTO u (v) VALUES (?)"
        yield* execute(connection, insert, { binds: values.map((v) => [v]) })
        assertStagePath(emulator, proxy.queries, insert)
        const counts = yield* execute(
          connection,
          "SELECT COUNT(*) AS n, COUNT(v) AS present, COUNT_IF(v = '') AS empties FROM u"
        )
        assert.deepStrictEqual(counts.rows[0], {
          N: 70_000,
          PRESENT: values.filter((v) => v !== null).length,
          EMPTIES: values.filter((v) => v === "").length
        })
      }),
    60_000
  )

  it.scopedLive(
    "a value the column cannot take fails the INSERT with the bind file and line; nothing is inserted",
    () =>
      Effect.gen(function* () {
        const { emulator, proxy, connection } = yield* setup
        yield* execute(connection, "CREATE TABLE t (id NUMBER, s VARCHAR, n NUMBER)")
        const binds: Array<[number, string | null, number | string | null]> = Array.from(
          { length: 30_000 },
          (_, i) => bindRow(i)
        )
        binds[12_345]![2] = "12x"
        const insert = "INSERT INTO t VALUES (?, ?, ?)"
        const error = yield* Effect.flip(execute(connection, insert, { binds }))
        assert.strictEqual(error.code, "100038")
        assert.match(error.message, /Numeric value '12x' is not recognized/)
        // the record's line counts the newlines inside the quoted values before it
        const line = binds
          .slice(0, 12_345)
          .reduce((n, [, s]) => n + 1 + (s === null ? 0 : s.split("\n").length - 1), 1)
        assert.match(
          error.message,
          new RegExp(`File 'system\\$bind/[0-9a-f-]{36}/1', line ${line}, character \\d+`)
        )
        assert.match(error.message, /column "T"\["N":3\]/)
        assert.isTrue(proxy.queries.some((q) => q.sqlText === insert && q.bindStage !== undefined))
        assert.strictEqual(emulator.history().find((h) => h.sqlText === insert)?.status, "FAILED_WITH_ERROR")
        const count = yield* execute(connection, "SELECT COUNT(*) AS n FROM t")
        assert.deepStrictEqual(count.rows, [{ N: 0 }])
      }),
    60_000
  )
})
