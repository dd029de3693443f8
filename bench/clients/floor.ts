/**
 * The floor: what reading the result costs with no client at all — raw HTTP (login, query-request,
 * chunk GETs, 4 at a time like the others), gunzip and JSON.parse, no value conversion.
 */
import { get } from "node:http"
import { gunzip } from "node:zlib"
import { PASSWORD, report, scanSql, USER } from "../shared.js"

const [url, rowsArg] = process.argv.slice(2)
const rows = Number(rowsArg)

const post = async (path: string, body: unknown, token?: string) => {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/snowflake",
      ...(token === undefined ? {} : { authorization: `Snowflake Token="${token}"` })
    },
    body: JSON.stringify(body)
  })
  return (await response.json()) as { data: Record<string, unknown>; code: string | null }
}

const getBody = (chunkUrl: string, headers: Record<string, string>) =>
  new Promise<Buffer>((resolve, reject) => {
    get(chunkUrl, { headers }, (res) => {
      const parts: Array<Buffer> = []
      res.on("data", (part: Buffer) => parts.push(part))
      res.on("end", () => resolve(Buffer.concat(parts)))
      res.on("error", reject)
    }).on("error", reject)
  })

// 256 KiB output buffers, as effect-snowflake uses: zlib's default 16 KiB makes gunzip ~4× slower.
const inflate = (bytes: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    gunzip(bytes, { chunkSize: 256 * 1024 }, (e, out) => (e ? reject(e) : resolve(out)))
  )

const started = performance.now()
const login = await post("/session/v1/login-request", { data: { LOGIN_NAME: USER, PASSWORD } })
const token = login.data.token as string
let answer = await post(
  `/queries/v1/query-request?requestId=${crypto.randomUUID()}`,
  { sqlText: scanSql(rows) },
  token
)
while (answer.code === "333333") {
  const res = await fetch(`${url}${answer.data.getResultUrl}`, {
    headers: { accept: "application/snowflake", authorization: `Snowflake Token="${token}"` }
  })
  answer = (await res.json()) as typeof answer
}
const data = answer.data as {
  rowset: Array<Array<string | null>>
  chunks?: Array<{ url: string }>
  chunkHeaders?: Record<string, string>
}
let seen = 0
let checksum = 0n
const consume = (batch: ReadonlyArray<ReadonlyArray<string | null>>) => {
  for (const row of batch) {
    seen++
    checksum += BigInt(row[0]!)
  }
}
consume(data.rowset)
const chunks = data.chunks ?? []
const headers = data.chunkHeaders ?? {}
// Four downloads in flight, rows consumed in order.
const inFlight: Array<Promise<Array<Array<string | null>>> | undefined> = []
const start = (i: number) =>
  getBody(chunks[i]!.url, headers)
    .then(inflate)
    .then((body) => JSON.parse(`[${body.toString("utf8")}]`) as Array<Array<string | null>>)
for (let i = 0; i < Math.min(4, chunks.length); i++) inFlight.push(start(i))
for (let i = 0; i < chunks.length; i++) {
  const batch = await inFlight[i]!
  inFlight[i] = undefined // consumed: let it be collected, as a streaming reader would
  if (i + 4 < chunks.length) inFlight.push(start(i + 4))
  consume(batch)
}
if (seen !== rows) throw new Error(`floor saw ${seen} rows, expected ${rows}`)
report("floor", seen, checksum, started)
