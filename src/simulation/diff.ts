/**
 * Near misses: for a request that is not in the cassette, the closest recorded request and a
 * readable account of how they differ.
 *
 * A recorded request *resembles* the new one when it is the same operation and its normalised SQL
 * is the same, or shares at least half its tokens (Dice coefficient ≥ 0.5). Stage and ingestion
 * operations without SQL resemble by their subject: the same stage or table, else (PUT) the same
 * file names. The closest is the most similar, then the one with the fewest differing fields.
 */
import type { Request } from "./Cassette.js"
import { tokenize } from "./normalizeSql.js"

export const RESEMBLANCE = 0.5

/** Dice coefficient of the two texts' token multisets: 1 for equal texts, 0 for nothing shared. */
export const sqlSimilarity = (a: string, b: string): number => {
  if (a === b) return 1
  const left = tokenize(a).map((t) => t.text)
  const right = tokenize(b).map((t) => t.text)
  if (left.length + right.length === 0) return 1
  const counts = new Map<string, number>()
  for (const t of left) counts.set(t, (counts.get(t) ?? 0) + 1)
  let shared = 0
  for (const t of right) {
    const n = counts.get(t) ?? 0
    if (n > 0) {
      shared++
      counts.set(t, n - 1)
    }
  }
  return (2 * shared) / (left.length + right.length)
}

const isObject = (value: unknown): value is object => value !== null && typeof value === "object"

/** Leaf fields of a request as `path → JSON text` (`context.warehouse`, `bindings.1.value`, `files.0.sha256`, …). */
const flatten = (value: unknown, path: string, out: Map<string, string>): Map<string, string> => {
  // Arrays of plain values (column lists) stay one field; arrays of objects (PUT's files) open up.
  const open = isObject(value) && (!Array.isArray(value) || value.some(isObject))
  if (open) {
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) flatten(v, path === "" ? k : `${path}.${k}`, out)
    }
  } else {
    out.set(path, JSON.stringify(value))
  }
  return out
}

export interface Difference {
  readonly field: string
  readonly recorded: string | undefined
  readonly requested: string | undefined
}

export const differences = (recorded: Request, requested: Request): ReadonlyArray<Difference> => {
  const a = flatten(recorded, "", new Map())
  const b = flatten(requested, "", new Map())
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort()
  return fields
    .filter((field) => a.get(field) !== b.get(field))
    .map((field) => ({ field, recorded: a.get(field), requested: b.get(field) }))
}

export interface NearMiss {
  /** Position of the recorded interaction in the cassette. */
  readonly index: number
  readonly recorded: Request
  readonly differences: ReadonlyArray<Difference>
}

const fileNames = (request: Request) => request.files?.map((f) => f.name).join("\n")

/** How alike two requests of one operation are, from 0 to 1. */
export const similarity = (a: Request, b: Request): number => {
  if (a.sql !== undefined && b.sql !== undefined) return sqlSimilarity(a.sql, b.sql)
  if (a.sql !== undefined || b.sql !== undefined) return 0
  if (a.stage !== undefined && a.stage === b.stage) return 1
  if (a.table !== undefined && a.table === b.table) return 1
  const files = fileNames(a)
  return files !== undefined && files === fileNames(b) ? RESEMBLANCE : 0
}

/** The recorded request closest to `requested`, when one resembles it. */
export const closest = (requested: Request, recorded: ReadonlyArray<Request>): NearMiss | undefined => {
  let best: { miss: NearMiss; similarity: number } | undefined
  recorded.forEach((candidate, index) => {
    if (candidate.operation !== requested.operation) return
    const alike = similarity(candidate, requested)
    if (alike < RESEMBLANCE) return
    const diff = differences(candidate, requested)
    if (diff.length === 0) return
    const better =
      best === undefined ||
      alike > best.similarity ||
      (alike === best.similarity && diff.length < best.miss.differences.length)
    if (better) best = { miss: { index, recorded: candidate, differences: diff }, similarity: alike }
  })
  return best?.miss
}

/** Two texts one above the other, cut around their first difference, with a caret under it. */
const sqlLines = (recorded: string, requested: string): ReadonlyArray<string> => {
  let at = 0
  while (at < recorded.length && at < requested.length && recorded[at] === requested[at]) at++
  const from = Math.max(0, at - 40)
  const cut = (s: string) => (from > 0 ? "…" : "") + s.slice(from, at + 60) + (s.length > at + 60 ? "…" : "")
  const pad = from > 0 ? 1 : 0
  return [
    `    recorded:  ${cut(recorded)}`,
    `    requested: ${cut(requested)}`,
    `               ${" ".repeat(at - from + pad)}^`
  ]
}

/** A multi-line account of the differences, for error messages. */
export const describe = (miss: NearMiss): string => {
  const lines = [
    `closest recorded ${miss.recorded.operation} is interaction #${miss.index + 1}; it differs in:`
  ]
  for (const d of miss.differences) {
    if (d.field === "sql" && d.recorded !== undefined && d.requested !== undefined) {
      lines.push("  sql:", ...sqlLines(JSON.parse(d.recorded) as string, JSON.parse(d.requested) as string))
    } else {
      lines.push(`  ${d.field}: recorded ${d.recorded ?? "(absent)"}, requested ${d.requested ?? "(absent)"}`)
    }
  }
  return lines.join("\n")
}
