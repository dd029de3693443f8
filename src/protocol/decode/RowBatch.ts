/**
 * A batch of result rows not yet decoded: either cells that are already strings (the inline
 * rowset, a chunk `JSON.parse` had to read, a replayed recording) or a slice of a rowset read
 * from its bytes (rowset.ts). The decoder reads either; `toCells` gives the strings of both, for
 * whoever needs the wire form (the recorder, `execute`).
 */
import { cellText, type IndexedRowset, readRow } from "./rowset.js"

/** Rows as the wire has them: every cell a string or null (PROTOCOL.md §1.3). */
export type RawRows = ReadonlyArray<ReadonlyArray<string | null>>

export interface CellBatch {
  readonly _tag: "Cells"
  readonly rows: RawRows
}

export interface RowsetBatch {
  readonly _tag: "Rowset"
  readonly rowset: IndexedRowset
  /** Rows [from, to) of the rowset. */
  readonly from: number
  readonly to: number
}

export type RowBatch = CellBatch | RowsetBatch

export const cells = (rows: RawRows): CellBatch => ({ _tag: "Cells", rows })

export const slice = (rowset: IndexedRowset, from: number, to: number): RowsetBatch => ({
  _tag: "Rowset",
  rowset,
  from,
  to
})

export const size = (batch: RowBatch): number =>
  batch._tag === "Cells" ? batch.rows.length : batch.to - batch.from

/** The batch's rows with string cells. */
export const toCells = (batch: RowBatch): RawRows => {
  if (batch._tag === "Cells") return batch.rows
  const { rowset, from, to } = batch
  const out = new Array<Array<string | null>>(to - from)
  for (let r = from; r < to; r++) {
    const row: Array<string | null> = []
    readRow(rowset, r, (_, start, end, flags, isNull) => {
      row.push(isNull ? null : cellText(rowset.bytes, start, end, flags))
    })
    out[r - from] = row
  }
  return out
}

/** Rows [from, to) of a batch, counted from the batch's first row. */
export const sub = (batch: RowBatch, from: number, to: number): RowBatch =>
  batch._tag === "Cells"
    ? cells(batch.rows.slice(from, to))
    : slice(batch.rowset, batch.from + from, batch.from + to)

/** The batch cut into consecutive batches of at most `rows` rows (none for an empty batch). */
export const split = (batch: RowBatch, rows: number): Array<RowBatch> => {
  const total = size(batch)
  if (total <= rows) return total === 0 ? [] : [batch]
  const parts: Array<RowBatch> = []
  for (let from = 0; from < total; from += rows) parts.push(sub(batch, from, Math.min(total, from + rows)))
  return parts
}
