/**
 * The GS response envelope (PROTOCOL.md §1.2): always `{data, code, message, success, headers}`,
 * `code` always a JSON string or null.
 */

export interface Envelope {
  readonly data: unknown
  readonly code: string | null
  readonly message: string | null
  readonly success: boolean
  readonly headers: null
}

export const ok = (data: unknown = null): Envelope => ({
  data,
  code: null,
  message: null,
  success: true,
  headers: null
})

export const fail = (code: string, message: string, data: unknown = null): Envelope => ({
  data,
  code,
  message,
  success: false,
  headers: null
})

/** `333333` (sync, still running) or `333334` (async, detached) — both `success:true`. */
export const inProgress = (queryId: string, async: boolean): Envelope =>
  async
    ? {
        data: {
          queryId,
          getResultUrl: `/queries/${queryId}/result`,
          progressDesc: null,
          queryAbortsAfterSecs: 300
        },
        code: "333334",
        message:
          "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
        success: true,
        headers: null
      }
    : {
        data: { queryId, getResultUrl: `/queries/${queryId}/result` },
        code: "333333",
        message: "Query execution in progress.",
        success: true,
        headers: null
      }

/** A statement failure with the `data` fields drivers read (`sqlState` is load-bearing, §16.6). */
export interface SqlFailure {
  readonly code: string
  readonly sqlState: string
  readonly message: string
  readonly line?: number
  readonly pos?: number
  readonly type?: string
}

export const sqlFail = (failure: SqlFailure, queryId: string | null): Envelope =>
  fail(failure.code, failure.message, {
    internalError: false,
    errorCode: failure.code,
    age: 0,
    sqlState: failure.sqlState,
    queryId,
    line: failure.line ?? -1,
    pos: failure.pos ?? -1,
    type: failure.type ?? null
  })

/** Session-level failures (§4.7). */
export const sessionExpired = fail("390112", "Your session has expired. Please login again.")
export const invalidToken = fail("390104", "User must login again to access this resource.")
export const masterExpired = fail(
  "390114",
  "Authentication token has expired.  The user must authenticate again."
)
/** A master token this server never issued (or one of a closed session): 390113, as the drivers name it. */
export const masterNotFound = fail("390113", "Master token not found. The user must authenticate again.")
