/**
 * Conformance: the official snowflake-sdk 3.3.0 against the emulator (real DuckDB engine) on a
 * free loopback port. If the official driver accepts the answers, the emulator speaks the protocol.
 */
import { generateKeyPairSync } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import type snowflake from "snowflake-sdk"
import { Emulator, type EmulatorOptions } from "../../src/emulator/index.js"
import { connect, destroy, execute, executeMulti, promise, SdkError, stream } from "./sdk.js"

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
const users = [
  {
    name: "tester",
    password: "secret",
    publicKeys: [publicKey.export({ type: "spki", format: "pem" }).toString()]
  }
]
const start = (options: EmulatorOptions = {}) => Emulator.start({ users, ...options })

/** About 10^10 rows of cross join: long enough to still be running when we look. */
const slowQuery =
  "select count(*) as c from table(generator(rowcount => 100000)) a, table(generator(rowcount => 100000)) b"

describe("snowflake-sdk conformance", () => {
  it.scopedLive("connects with a password and with a key pair; a wrong password is refused", () =>
    Effect.gen(function* () {
      const emulator = yield* start()
      const byPassword = yield* connect(emulator.url)
      assert.deepStrictEqual((yield* execute(byPassword, "select 1 as one")).rows, [{ ONE: 1 }])
      const byKey = yield* connect(emulator.url, {
        authenticator: "SNOWFLAKE_JWT",
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        password: undefined
      } as unknown as Partial<snowflake.ConnectionOptions>)
      assert.deepStrictEqual((yield* execute(byKey, "select 2 as two")).rows, [{ TWO: 2 }])
      const refused = yield* Effect.flip(connect(emulator.url, { password: "wrong" }))
      assert.instanceOf(refused, SdkError)
      assert.match(refused.message, /Incorrect username or password/)
    })
  )

  it.scopedLive("decodes every type as snowflake-sdk does", () =>
    Effect.gen(function* () {
      const emulator = yield* start()
      const connection = yield* connect(emulator.url)
      const [row] = (yield* execute(
        connection,
        `select 42 as i, -7::number(38,0) as neg, 123.45::number(10,2) as dec, 1.5::float as f,
                'héllo' as t, true as b, null as n,
                '2016-01-21'::date as d, '1967-06-23'::date as d2, '12:34:56'::time as tm,
                '2016-01-21 06:32:44.123'::timestamp_ntz as ntz,
                parse_json('{"a":1,"b":[1,2]}') as v, array_construct(1,2,3) as arr,
                object_construct('k','v') as obj, hex_decode_binary('48656C6C6F') as bin`
      )).rows
      const r = row!
      assert.strictEqual(r.I, 42)
      assert.strictEqual(r.NEG, -7)
      assert.strictEqual(r.DEC, 123.45)
      assert.strictEqual(r.F, 1.5)
      assert.strictEqual(r.T, "héllo")
      assert.strictEqual(r.B, true)
      assert.strictEqual(r.N, null)
      assert.strictEqual((r.D as Date).getTime(), Date.UTC(2016, 0, 21))
      assert.strictEqual((r.D2 as Date).getTime(), Date.UTC(1967, 5, 23))
      assert.strictEqual(r.TM, "12:34:56")
      assert.strictEqual((r.NTZ as Date).getTime(), Date.UTC(2016, 0, 21, 6, 32, 44, 123))
      assert.deepStrictEqual(r.V, { a: 1, b: [1, 2] })
      assert.deepStrictEqual(r.ARR, [1, 2, 3])
      assert.deepStrictEqual(r.OBJ, { k: "v" })
      assert.strictEqual(Buffer.from(r.BIN as Uint8Array).toString("utf8"), "Hello")
    })
  )

  it.scopedLive("binds positional values", () =>
    Effect.gen(function* () {
      const emulator = yield* start()
      const connection = yield* connect(emulator.url)
      const { rows } = yield* execute(connection, "select ?::number as a, ? as b, ? as c, ? as d", {
        binds: [42, "x", true, null]
      })
      assert.deepStrictEqual(rows, [{ A: 42, B: "x", C: true, D: null }])
    })
  )

  it.scopedLive("streams a multi-chunk result of 200,000 rows in order", () =>
    Effect.gen(function* () {
      const emulator = yield* start({ chunkRows: 25_000 })
      const connection = yield* connect(emulator.url)
      const n = 200_000
      const { count, sum, ordered } = yield* stream(
        connection,
        `select seq8() as id, 'row' || seq8() as label from table(generator(rowcount => ${n})) order by id`
      ).pipe(
        Stream.runFold({ count: 0, sum: 0, ordered: true }, (acc, row) => ({
          count: acc.count + 1,
          sum: acc.sum + (row.ID as number),
          ordered: acc.ordered && row.ID === acc.count && row.LABEL === `row${acc.count}`
        }))
      )
      assert.strictEqual(count, n)
      assert.strictEqual(sum, (n * (n - 1)) / 2)
      assert.isTrue(ordered)
    })
  )

  it.scopedLive("asyncExec, getQueryStatus and getResultsFromQueryId", () =>
    Effect.gen(function* () {
      const emulator = yield* start()
      const connection = yield* connect(emulator.url)
      const slow = yield* execute(connection, slowQuery, {
        asyncExec: true
      } as Partial<snowflake.StatementOption>)
      const slowId = slow.statement.getQueryId()
      const running = yield* promise(() => connection.getQueryStatus(slowId))
      assert.include(["QUEUED", "RUNNING"], running)
      const quick = yield* execute(connection, "select 7 as seven", {
        asyncExec: true
      } as Partial<snowflake.StatementOption>)
      const quickId = quick.statement.getQueryId()
      const rows = yield* Effect.async<ReadonlyArray<unknown>, SdkError>((resume) => {
        connection
          .getResultsFromQueryId({
            queryId: quickId,
            complete: (err, _stmt, rows) =>
              resume(err ? Effect.fail(new SdkError(err)) : Effect.succeed(rows ?? []))
          } as snowflake.StatementOption & { queryId: string })
          .catch((err: snowflake.SnowflakeError) => resume(Effect.fail(new SdkError(err))))
      })
      assert.deepStrictEqual(rows, [{ SEVEN: 7 }])
      assert.strictEqual(yield* promise(() => connection.getQueryStatus(quickId)), "SUCCESS")
    })
  )

  it.scopedLive("cancels a running query", () =>
    Effect.gen(function* () {
      const emulator = yield* start({ longPollSeconds: 1 })
      const connection = yield* connect(emulator.url)
      let statement: snowflake.RowStatement | undefined
      const outcome = yield* Effect.async<SdkError | undefined>((resume) => {
        statement = connection.execute({
          sqlText: slowQuery,
          complete: (err) => resume(Effect.succeed(err ? new SdkError(err) : undefined))
        })
      }).pipe(Effect.fork)
      yield* Effect.sleep("100 millis").pipe(
        Effect.repeat({
          until: () => emulator.history().some((q) => q.sqlText === slowQuery && q.status === "RUNNING")
        })
      )
      yield* Effect.async<void, SdkError>((resume) => {
        statement!.cancel((err) => resume(err ? Effect.fail(new SdkError(err)) : Effect.void))
      })
      const error = yield* outcome.await.pipe(Effect.flatten)
      assert.isDefined(error)
      assert.strictEqual(error!.code, "000604")
      assert.strictEqual(error!.sqlState, "57014")
      assert.strictEqual(emulator.history().find((q) => q.sqlText === slowQuery)?.status, "ABORTED")
    })
  )

  it.scopedLive("reports a syntax error and a missing table with their codes and SQL states", () =>
    Effect.gen(function* () {
      const emulator = yield* start()
      const connection = yield* connect(emulator.url)
      const syntax = yield* Effect.flip(execute(connection, "selec 1"))
      assert.strictEqual(syntax.code, "001003")
      assert.strictEqual(syntax.sqlState, "42000")
      const missing = yield* Effect.flip(execute(connection, "select * from no_such_table"))
      assert.strictEqual(missing.code, "002003")
      assert.strictEqual(missing.sqlState, "42S02")
      assert.match(missing.message, /does not exist or not authorized/)
    })
  )

  it.scopedLive("runs a multi-statement text and delivers each result", () =>
    Effect.gen(function* () {
      const emulator = yield* start()
      const connection = yield* connect(emulator.url)
      const results = yield* executeMulti(connection, "select 1 as a; select 'two' as b, 3 as c", 2)
      assert.deepStrictEqual(results, [[{ A: 1 }], [{ B: "two", C: 3 }]])
      const refused = yield* Effect.flip(execute(connection, "select 1; select 2"))
      assert.strictEqual(refused.code, "000008")
    })
  )

  it.scopedLive("renews the session after a forced 390112 and carries on", () =>
    Effect.gen(function* () {
      const emulator = yield* start()
      const connection = yield* connect(emulator.url)
      yield* emulator.faults.inject({ route: "query", kind: { _tag: "expireSession" } })
      const { rows } = yield* execute(connection, "select 5 as five")
      assert.deepStrictEqual(rows, [{ FIVE: 5 }])
      assert.deepStrictEqual(yield* emulator.faults.pending, [])
      assert.deepStrictEqual((yield* execute(connection, "select 6 as six")).rows, [{ SIX: 6 }])
    })
  )

  it.scopedLive("destroy logs out: the connection is down and its token no longer works", () =>
    Effect.gen(function* () {
      const emulator = yield* start()
      const connection = yield* connect(emulator.url)
      yield* execute(connection, "select 1")
      yield* destroy(connection)
      assert.isFalse(connection.isUp())
      const after = yield* Effect.flip(execute(connection, "select 1"))
      assert.instanceOf(after, SdkError)
    })
  )
})
