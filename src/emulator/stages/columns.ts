/** Column metadata and small result builders for the stage statements' results. */
import type { ColumnMeta, SessionContext, StatementResult } from "../engine/Engine.js"
import { fixedColumn, textColumn } from "../engine/results.js"

export const textCol = textColumn
export const fixedCol = fixedColumn

export const timestampCol = (name: string): ColumnMeta => ({
  ...textCol(name),
  type: "timestamp_ltz",
  precision: 0,
  scale: 9,
  length: null,
  byteLength: null
})

export const rowsResult = (
  columns: ReadonlyArray<ColumnMeta>,
  rows: ReadonlyArray<ReadonlyArray<string | null>>,
  statementTypeId: number,
  context: SessionContext
): StatementResult => ({ columns, rows, statementTypeId, context })

/** Snowflake's JSON rowset text for a TIMESTAMP_LTZ: epoch seconds with 9 decimals. */
export const epochText = (date: Date) => (date.getTime() / 1000).toFixed(9)
