/**
 * The emulator's view of an HTTP exchange: a fully read request and a reply value — except for
 * object-storage requests, which get the body unread (uploads stream to disk) and may answer with
 * a file (downloads stream from disk).
 */
import type { FileHandle } from "node:fs/promises"
import type { IncomingHttpHeaders } from "node:http"
import type { Readable } from "node:stream"
import type { Envelope } from "./envelope.js"

export interface EmulatorRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  /** Already gunzipped when the request said `Content-Encoding: gzip`. */
  readonly body: Buffer
}

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
}

/**
 * An object-storage request with its body still on the socket: the handler streams it where it
 * belongs (an upload of hundreds of MB is never held in memory), exactly as received whatever
 * `Content-Encoding` says.
 */
export interface StorageRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Readable
}

/**
 * A reply of `size` bytes streamed from an open file, which the server closes once sent. The
 * handler opens it (not just names it) so that an overwrite racing with the download cannot pull
 * the file away: the download keeps reading the version it found. No file: headers only (HEAD).
 */
export interface FileReply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly size: number
  readonly file: FileHandle | undefined
}

export type StorageReply = Reply | FileReply

/**
 * Strings made by `rawNumber` (stages/transfer.ts) — `"\u0001raw-number:<digits>"` once
 * stringified — go out as bare JSON numbers: Snowflake sends `smkId` above 2^53 that way (§9.2).
 */
const RAW_NUMBER_TEXT = /"\\u0001raw-number:(\d+)"/g

export const jsonReply = (value: unknown, status = 200): Reply => {
  const text = JSON.stringify(value)
  return {
    status,
    headers: { "content-type": "application/json" },
    body: Buffer.from(
      text.includes("\\u0001raw-number:") ? text.replace(RAW_NUMBER_TEXT, "$1") : text,
      "utf8"
    )
  }
}

export const envelopeReply = (envelope: Envelope, status = 200): Reply => jsonReply(envelope, status)

export const textReply = (text: string, status: number, contentType = "text/plain"): Reply => ({
  status,
  headers: { "content-type": contentType },
  body: Buffer.from(text, "utf8")
})

/** Parses a JSON body; an empty or malformed body reads as `{}` (drivers send none on some POSTs). */
export const jsonBody = (request: EmulatorRequest): Record<string, unknown> => {
  if (request.body.length === 0) return {}
  try {
    const value: unknown = JSON.parse(request.body.toString("utf8"))
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

export const header = (request: EmulatorRequest, name: string): string | undefined => {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}
