/** Plain-fetch helpers for talking to the emulator in tests (loopback only). */
import { get, type IncomingHttpHeaders } from "node:http"
import { gunzipSync } from "node:zlib"
import { Effect } from "effect"

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly json: {
    readonly data: Record<string, unknown> | null
    readonly code: string | null
    readonly message: string | null
    readonly success: boolean
  }
}

export const call = (
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}
): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const res = await fetch(url, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        "content-type": "application/json",
        accept: "application/snowflake",
        ...(init.token !== undefined ? { authorization: `Snowflake Token="${init.token}"` } : {}),
        ...init.headers
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {})
    })
    const text = await res.text()
    let json: Answer["json"]
    try {
      json = JSON.parse(text)
    } catch {
      json = { data: null, code: null, message: text, success: false }
    }
    return { status: res.status, headers: res.headers, json }
  })

export const login = (base: string, data: Record<string, unknown> = { LOGIN_NAME: "u", PASSWORD: "p" }) =>
  Effect.map(
    call(`${base}/session/v1/login-request?requestId=${crypto.randomUUID()}`, { body: { data } }),
    (a) => {
      if (!a.json.success) throw new Error(`login failed: ${a.json.code} ${a.json.message}`)
      return a.json.data as { token: string; masterToken: string; sessionId: number }
    }
  )

export const query = (
  base: string,
  token: string,
  body: Record<string, unknown>,
  requestId: string = crypto.randomUUID()
) =>
  call(`${base}/queries/v1/query-request?requestId=${requestId}&request_guid=${crypto.randomUUID()}`, {
    token,
    body
  })

/** Follows 333333 answers until the final one. */
export const queryToEnd = (base: string, token: string, body: Record<string, unknown>) =>
  Effect.gen(function* () {
    let answer = yield* query(base, token, body)
    while (answer.json.code === "333333") {
      answer = yield* call(`${base}${answer.json.data!.getResultUrl as string}`, { token })
    }
    return answer
  })

/** GETs a chunk with node:http, which (unlike fetch) hands over the raw gzip bytes. */
export const fetchChunk = (url: string, headers: Record<string, string>) =>
  Effect.async<{ status: number; body: Buffer; headers: IncomingHttpHeaders }>((resume) => {
    get(url, { headers }, (res) => {
      const parts: Array<Buffer> = []
      res.on("data", (p: Buffer) => parts.push(p))
      res.on("end", () =>
        resume(
          Effect.succeed({ status: res.statusCode ?? 0, body: Buffer.concat(parts), headers: res.headers })
        )
      )
    })
  })

export const gunzipRows = (body: Buffer): Array<Array<string | null>> =>
  JSON.parse(`[${gunzipSync(body).toString("utf8")}]`)
