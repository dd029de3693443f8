/**
 * How many records a piece of serialized bytes holds, for the serializers bulkInsert uses (CSV and
 * JSON lines through textBatches.ts, Parquet row groups): the piece itself stays a plain
 * Uint8Array for every consumer, and whoever cuts the stream into files (bulkFiles.ts) can count
 * the records each file holds. A piece nobody counted holds none (headers, footers).
 */
const counts = new WeakMap<Uint8Array, number>()

/** `piece`, known to hold `records` records. */
export const holding = (piece: Uint8Array, records: number): Uint8Array => {
  counts.set(piece, records)
  return piece
}

export const recordsIn = (piece: Uint8Array): number => counts.get(piece) ?? 0
