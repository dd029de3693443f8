/**
 * The object name in a GCS XML-API path (`/<bucket>/<name>`), decoded the way GCS decodes it.
 *
 * Both clients that reach the emulator's GCS endpoint use this one URL shape, and for every name
 * either can send, one exact percent-decoding gives the name LIST and COPY use:
 * - our client (src/services/storage/gcs.ts) escapes each `/`-separated segment with
 *   encodeURIComponent, which decoding undoes exactly, whatever the name;
 * - snowflake-sdk 3.3.0 (gcs_util.js `generateFileURL`) pastes the raw name into the URL, and
 *   axios's WHATWG URL parse escapes only what a path must: space, `"`, `<`, `>`, `` ` ``, `{`,
 *   `}`, controls and non-ASCII (as UTF-8). `'`, `+`, `$`, `&`, `=`, `@`, `[`, `]` stay as they
 *   are and decode to themselves (`+` is a plus in a path, never a space). What it cannot send
 *   is its own limit, as on real GCS: a bare `%` (a malformed escape, or a different name when
 *   hex digits follow), and `#` or `?`, where its URL's path ends.
 * So no guessing per client: decode strictly, and answer a malformed escape with 400.
 */
import type { Reply } from "../server/http.js"

/** The decoded name, or undefined when the path holds a malformed escape or invalid UTF-8. */
export const decodeObjectName = (encoded: string): string | undefined => {
  try {
    return decodeURIComponent(encoded)
  } catch {
    return undefined
  }
}

/** An error in the GCS JSON API's shape (`{"error": {code, message, errors: [...]}}`). */
export const gcsJsonError = (status: number, reason: string, message: string): Reply => ({
  status,
  headers: { "content-type": "application/json; charset=UTF-8" },
  body: Buffer.from(
    JSON.stringify({ error: { code: status, message, errors: [{ message, domain: "global", reason }] } })
  )
})
