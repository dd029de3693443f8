/**
 * What a failed HTTP exchange keeps as an error's `cause`: the method, the path, and the network
 * failure's own code and message — never the request itself.
 *
 * Why not keep the HTTP client's error: @effect/platform's `RequestError` / `ResponseError` carry
 * the whole request, whose Authorization header holds a session, master, OAuth or programmatic
 * token and whose body holds a password or a JWT on login. Their headers are redacted only while a
 * fiber renders them; `JSON.stringify`, `util.inspect` or a logger outside Effect print them in
 * clear. So the Transport copies out the few facts that help a reader and drops the rest.
 */
export class HttpFailure {
  readonly _tag = "HttpFailure"
  constructor(
    /** `Transport` (no answer), `Encode` (the request could not be built), `Decode` (the body was cut)… */
    readonly reason: string,
    readonly method: string,
    /** The URL's path only: query strings are dropped with everything else the request carried. */
    readonly path: string,
    /** The underlying network error's code (`ECONNRESET`, `UND_ERR_SOCKET`, …), when it has one. */
    readonly code: string | undefined,
    /** The underlying network error's message (`other side closed`, …). */
    readonly detail: string | undefined
  ) {}

  toString(): string {
    const what = [this.code, this.detail].filter((part) => part !== undefined).join(": ")
    return `${this.reason} failure on ${this.method} ${this.path}${what === "" ? "" : ` (${what})`}`
  }
}

const stringField = (value: unknown, key: string): string | undefined => {
  const field =
    typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined
  return typeof field === "string" ? field : undefined
}

/** The network error's code and message, looking one level down (undici wraps socket errors). */
export const networkDetail = (cause: unknown): { code: string | undefined; detail: string | undefined } => {
  const inner = typeof cause === "object" && cause !== null ? (cause as { cause?: unknown }).cause : undefined
  return {
    code: stringField(cause, "code") ?? stringField(inner, "code"),
    detail: stringField(cause, "message") ?? (typeof cause === "string" ? cause : undefined)
  }
}
