/** Identifiers the emulator hands out. */
import { randomBytes, randomUUID } from "node:crypto"

/** Query ids are UUID-shaped (8-4-4-4-12 hex); Node validates that shape (§5.3). */
export const newQueryId = (): string => randomUUID()

/** Opaque bearer tokens; prefixed so a log line tells session and master tokens apart. */
export const newSessionToken = (): string => `ver:1-hint:1-ETMsDgAAA${randomBytes(24).toString("base64url")}`
export const newMasterToken = (): string => `ver:1-hint:1-ETMsMaster${randomBytes(24).toString("base64url")}`

/** Chunk keys play the part of the SSE-C customer key a real chunk URL needs. */
export const newChunkKey = (): string => randomBytes(32).toString("base64")

/**
 * Parses `Authorization: Snowflake Token="<token>"` (§1.4): the text between `Token="` and the
 * final quote.
 */
export const tokenFromHeader = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined
  const start = header.indexOf('Token="')
  if (start < 0) return undefined
  const end = header.lastIndexOf('"')
  if (end <= start + 7) return undefined
  return header.slice(start + 7, end)
}
