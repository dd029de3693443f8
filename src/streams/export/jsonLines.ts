/**
 * Records to JSON lines (NDJSON) bytes, streaming: one object per line, `names[i]` holding the
 * record's `keys[i]` (a missing or undefined value is `null`), values written losslessly
 * (`stringifyLossless`: bigints and BigDecimals as exact literals). Output comes in pieces of about
 * 64 KiB (textBatches.ts). This is `bulkInsert`'s JSON body.
 */
import type * as Stream from "effect/Stream"
import { textBatches } from "./textBatches.js"
import { stringifyLossless } from "./values.js"

export const jsonLines = <E, R>(
  records: Stream.Stream<Readonly<Record<string, unknown>>, E, R>,
  keys: ReadonlyArray<string>,
  names: ReadonlyArray<string> = keys,
  batchBytes = 64 * 1024
): Stream.Stream<Uint8Array, E, R> => {
  // `{"A":` then `,"B":` …: each member's name written once, not per record
  const prefixes = names.map((name, i) => `${i === 0 ? "{" : ","}${JSON.stringify(name)}:`)
  const width = keys.length
  const line = (record: Readonly<Record<string, unknown>>): string => {
    let out = width === 0 ? "{" : ""
    for (let i = 0; i < width; i++) {
      const value = record[keys[i]!]
      out += prefixes[i]! + (value === undefined ? "null" : stringifyLossless(value))
    }
    return `${out}}\n`
  }
  return textBatches(records, line, { batchBytes })
}
