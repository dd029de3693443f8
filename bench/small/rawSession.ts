/**
 * The emulator's own service time: a raw HTTP client with no driver at all — node:http with a
 * keep-alive agent, one logged-in session token, and POST /queries/v1/query-request with the
 * statement's bind, its JSON answer parsed. What is left of a statement's latency once the
 * client does nothing: the floor every driver's latency is measured against.
 */
import { Agent, request } from "node:http"
import { PASSWORD, USER } from "../shared.js"

export interface RawSession {
  /** Runs `SELECT ? * 2` with `value` bound; resolves to the answer's number. */
  readonly double: (value: number) => Promise<number>
  readonly close: () => void
}

interface Answer {
  readonly success: boolean
  readonly message?: string | null
  readonly data: { readonly token?: string; readonly rowset?: ReadonlyArray<ReadonlyArray<string>> }
}

const post = (agent: Agent, url: URL, path: string, body: unknown, token?: string) =>
  new Promise<Answer>((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body))
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": String(payload.length),
          accept: "application/snowflake",
          ...(token === undefined ? {} : { authorization: `Snowflake Token="${token}"` })
        }
      },
      (res) => {
        const parts: Array<Buffer> = []
        res.on("data", (part: Buffer) => parts.push(part))
        res.on("end", () => {
          try {
            resolve(JSON.parse(Buffer.concat(parts).toString("utf8")) as Answer)
          } catch (error) {
            reject(error)
          }
        })
        res.on("error", reject)
      }
    )
    req.on("error", reject)
    req.end(payload)
  })

/** Logs in as the bench user on the emulator at `accessUrl`. */
export const rawSession = async (accessUrl: string): Promise<RawSession> => {
  const url = new URL(accessUrl)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const login = await post(agent, url, "/session/v1/login-request", {
    data: { LOGIN_NAME: USER, PASSWORD }
  })
  const token = login.data.token
  if (!login.success || token === undefined) throw new Error(`login failed: ${login.message}`)
  const double = async (value: number) => {
    const answer = await post(
      agent,
      url,
      `/queries/v1/query-request?requestId=${crypto.randomUUID()}`,
      { sqlText: SQL, bindings: { "1": { type: "FIXED", value: String(value) } } },
      token
    )
    const cell = answer.data.rowset?.[0]?.[0]
    if (!answer.success || cell === undefined) throw new Error(`query failed: ${answer.message}`)
    return Number(cell)
  }
  return { double, close: () => agent.destroy() }
}

/** The short statement every client runs, with one positional bind. */
export const SQL = "SELECT ? * 2"
