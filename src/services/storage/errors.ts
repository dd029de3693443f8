/** Failures of object-store calls, as `StageUploadError` with the HTTP status when there is one. */
import { StageUploadError } from "../../errors/index.js"

const statusOf = (cause: unknown): number | undefined => {
  if (typeof cause !== "object" || cause === null) return undefined
  const c = cause as { $metadata?: { httpStatusCode?: unknown }; statusCode?: unknown; status?: unknown }
  const status = c.$metadata?.httpStatusCode ?? c.statusCode ?? c.status
  return typeof status === "number" ? status : undefined
}

/** The SDK's own message is kept only as `cause`: it may quote request details. */
export const storageError =
  (what: string) =>
  (cause: unknown): StageUploadError => {
    const httpStatus = statusOf(cause)
    const name = typeof cause === "object" && cause !== null ? (cause as { name?: unknown }).name : undefined
    return new StageUploadError({
      message: `${what} failed${httpStatus === undefined ? "" : ` (HTTP ${httpStatus})`}${typeof name === "string" && name !== "Error" ? `: ${name}` : ""}`,
      ...(httpStatus === undefined ? {} : { httpStatus }),
      cause
    })
  }

/** True when the error says the object does not exist. */
export const isNotFound = (cause: unknown): boolean => {
  const status = statusOf(cause)
  const name = typeof cause === "object" && cause !== null ? (cause as { name?: unknown }).name : undefined
  return status === 404 || name === "NotFound" || name === "NoSuchKey"
}
