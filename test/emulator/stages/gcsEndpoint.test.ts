/**
 * The emulator's GCS endpoint at the HTTP level: uploads stream to a file per stored version,
 * only a complete upload replaces the previous version, downloads stream back with the metadata,
 * and the object files go when the emulator stops. Object names arrive escaped the way our client
 * or snowflake-sdk escape them and land under the one exact name; a malformed escape or a failing
 * handler gets an answer (400, 500), never silence.
 */
import { createHash, randomBytes } from "node:crypto"
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Readable } from "node:stream"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { Emulator } from "../../../src/emulator/index.js"
import { makeGcsStorage } from "../../../src/emulator/storage/gcsStorage.js"
import { rows, sqlSession } from "./client.js"

interface Answer {
  readonly status: number
  readonly headers: Record<string, string | Array<string> | undefined>
  readonly body: Buffer
}

/** One request; the body goes out in 64 KiB pieces, like a streaming client's. */
const send = (url: string, method: string, headers: Record<string, string>, body?: Buffer) =>
  Effect.async<Answer, Error>((resume) => {
    const req = request(url, { method, headers }, (res) => {
      const parts: Array<Buffer> = []
      res.on("data", (part: Buffer) => parts.push(part))
      res.on("end", () =>
        resume(
          Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) })
        )
      )
    })
    req.on("error", (error) => resume(Effect.fail(error)))
    if (body === undefined) return void req.end()
    for (let at = 0; at < body.length; at += 65_536) req.write(body.subarray(at, at + 65_536))
    req.end()
  })

/** Announces `announced` bytes, sends `sent`, then cuts the connection. */
const cutOff = (url: string, headers: Record<string, string>, announced: number, sent: Buffer) =>
  Effect.async<void>((resume) => {
    const req = request(url, { method: "PUT", headers: { ...headers, "content-length": String(announced) } })
    req.on("error", () => resume(Effect.void))
    req.write(sent, () => setTimeout(() => req.destroy(), 50))
  })

/** Fails instead of waiting forever when the endpoint never answers. */
const prompt = <A, E>(effect: Effect.Effect<A, E>) =>
  effect.pipe(
    Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error("no answer within 5 s") })
  )

const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex")

describe("the emulator's GCS endpoint", () => {
  it.scopedLive("streams uploads to disk, replaces only on a complete upload, streams downloads", () =>
    Effect.gen(function* () {
      const stageDir = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "sf-gcs-endpoint-"))),
        (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
      )
      const objectFiles = () => {
        const dirs = readdirSync(stageDir).filter((name) => name.startsWith("gcs-"))
        return dirs.flatMap((dir) => readdirSync(join(stageDir, dir)))
      }
      yield* Effect.scoped(
        Effect.gen(function* () {
          const emulator = yield* Emulator.start({ storage: "gcs", stageDir })
          const sql = yield* sqlSession(emulator.url)
          const answer = yield* sql("PUT 'file:///tmp/big.bin' @~/up AUTO_COMPRESS=FALSE")
          const info = answer.data.stageInfo
          const url = `${info.endPoint}/${info.location}big.bin`
          const auth = { authorization: `Bearer ${info.creds.GCS_ACCESS_TOKEN}` }

          const first = randomBytes(3 * 1024 * 1024 + 7)
          const put = yield* send(url, "PUT", { ...auth, "x-goog-meta-sfc-digest": "first" }, first)
          assert.strictEqual(put.status, 200)
          const head = yield* send(url, "HEAD", auth)
          assert.strictEqual(head.status, 200)
          assert.strictEqual(head.headers["content-length"], String(first.length))
          assert.strictEqual(head.headers["x-goog-meta-sfc-digest"], "first")
          const got = yield* send(url, "GET", auth)
          assert.isTrue(got.body.equals(first))
          const listed = yield* rows(sql, "LIST @~/up")
          assert.deepStrictEqual(
            listed.map((r) => [r.name, Number(r.size), r.md5]),
            [["up/big.bin", first.length, md5(first)]]
          )

          const second = randomBytes(100_000)
          yield* send(url, "PUT", { ...auth, "x-goog-meta-sfc-digest": "second" }, second)
          assert.isTrue((yield* send(url, "GET", auth)).body.equals(second))
          assert.strictEqual(objectFiles().length, 1, "the replaced version's file is gone")

          // an upload cut off midway stores nothing and leaves the current version alone
          yield* cutOff(url, { ...auth, "x-goog-meta-sfc-digest": "cut" }, 1_000_000, randomBytes(200_000))
          yield* Effect.suspend(() =>
            objectFiles().length === 1 ? Effect.void : Effect.fail("partial")
          ).pipe(
            Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.compose(Schedule.recurs(40)))),
            Effect.orElse(() => Effect.sync(() => assert.fail(`files left: ${objectFiles().join(", ")}`)))
          )
          const after = yield* send(url, "GET", auth)
          assert.strictEqual(after.headers["x-goog-meta-sfc-digest"], "second")
          assert.isTrue(after.body.equals(second))
          assert.deepStrictEqual(
            (yield* rows(sql, "LIST @~/up")).map((r) => r.md5),
            [md5(second)]
          )

          assert.strictEqual((yield* send(url, "GET", { authorization: "Bearer wrong" })).status, 401)
          assert.strictEqual((yield* send(url, "DELETE", auth)).status, 204)
          assert.strictEqual((yield* send(url, "HEAD", auth)).status, 404)
          assert.strictEqual((yield* send(url, "GET", auth)).status, 404)
          assert.strictEqual(objectFiles().length, 0)
          yield* send(url, "PUT", auth, first)
        })
      )
      // stopped: the object directory went with it, the stage directory stays
      assert.isTrue(existsSync(stageDir))
      assert.deepStrictEqual(
        readdirSync(stageDir).filter((name) => name.startsWith("gcs-")),
        []
      )
    })
  )

  it.scopedLive("one object per name, whether escaped like our client or like snowflake-sdk", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ storage: "gcs" })
      const sql = yield* sqlSession(emulator.url)
      const info = (yield* sql("PUT 'file:///tmp/x.csv' @~/names AUTO_COMPRESS=FALSE")).data.stageInfo
      const base = `${info.endPoint}/${info.location}`
      const auth = { authorization: `Bearer ${info.creds.GCS_ACCESS_TOKEN}` }
      const names = [
        "a b.csv",
        "it's.csv",
        "a+b.csv",
        "100%.csv",
        "x#y.csv",
        "q?r.csv",
        "d$.csv",
        "naïve-日本.csv"
      ]
      for (const [i, name] of names.entries()) {
        const body = Buffer.from(`bytes of ${name}`)
        // ours: each segment through encodeURIComponent (src/services/storage/gcs.ts)
        const ours = `${base}${encodeURIComponent(name)}`
        assert.strictEqual((yield* prompt(send(ours, "PUT", auth, body))).status, 200, name)
        assert.isTrue((yield* prompt(send(ours, "GET", auth))).body.equals(body), name)
        // snowflake-sdk: the raw name, escaped only by the URL parser; it cannot send `#`, `?` or
        // a bare `%` (see test/conformance/interop.test.ts)
        if (/[#?%]/.test(name)) continue
        const raw = `${base}${name}`
        assert.isTrue((yield* prompt(send(raw, "GET", auth))).body.equals(body), name)
        const again = Buffer.from(`${i} again`)
        assert.strictEqual((yield* prompt(send(raw, "PUT", auth, again))).status, 200, name)
        assert.isTrue((yield* prompt(send(ours, "GET", auth))).body.equals(again), name)
      }
      assert.deepStrictEqual(
        (yield* rows(sql, "LIST @~/names")).map((r) => r.name),
        names.map((name) => `names/${name}`).sort((a, b) => a.localeCompare(b))
      )
    })
  )

  it.scopedLive("a malformed escape is answered 400 at once, with a GCS JSON error", () =>
    Effect.gen(function* () {
      const emulator = yield* Emulator.start({ storage: "gcs" })
      const sql = yield* sqlSession(emulator.url)
      const info = (yield* sql("PUT 'file:///tmp/x.csv' @~/bad AUTO_COMPRESS=FALSE")).data.stageInfo
      const auth = { authorization: `Bearer ${info.creds.GCS_ACCESS_TOKEN}` }
      const base = `${info.endPoint}/${info.location}`
      // `%zz` is no escape, `%FF` no UTF-8, and `100%.csv` is how snowflake-sdk sends that name
      for (const path of ["%zz.csv", "a%F.csv", "100%.csv", "%FF.csv"]) {
        for (const method of ["GET", "HEAD", "PUT", "DELETE"]) {
          const body = method === "PUT" ? randomBytes(300_000) : undefined
          const answer = yield* prompt(send(`${base}${path}`, method, auth, body))
          assert.strictEqual(answer.status, 400, `${method} ${path}`)
          if (method === "HEAD") continue
          assert.strictEqual(answer.headers["content-type"], "application/json; charset=UTF-8")
          const error = JSON.parse(answer.body.toString("utf8")).error
          assert.strictEqual(error.code, 400)
          assert.strictEqual(error.errors[0].reason, "invalid")
        }
        // before the token is looked at, as GCS's front end does
        assert.strictEqual((yield* prompt(send(`${base}${path}`, "GET", {}))).status, 400)
      }
      // the connection still serves: the unread upload was drained, not left in the way
      assert.strictEqual((yield* prompt(send(`${base}ok.csv`, "PUT", auth, Buffer.from("ok")))).status, 200)
      assert.deepStrictEqual(
        (yield* rows(sql, "LIST @~/bad")).map((r) => r.name),
        ["bad/ok.csv"]
      )
    })
  )

  it.scopedLive("a request the handler fails on is answered 500", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "sf-gcs-handler-"))),
        (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
      )
      const storage = yield* makeGcsStorage(dir, { token: "t" })
      // headers whose listing throws: the upload's metadata scan fails on them
      const headers = new Proxy({ authorization: "Bearer t" } as Record<string, string>, {
        ownKeys: () => {
          throw new Error("broken headers")
        }
      })
      const reply = yield* storage.handle({
        method: "PUT",
        path: "/sfc-emulator-stages/p/a.csv",
        headers,
        body: Readable.from([Buffer.from("x")])
      })!
      assert.strictEqual(reply.status, 500)
      assert.deepStrictEqual(yield* storage.list("p/"), [])
    })
  )
})
