/** Builders for the results the engine makes itself (status lines, DML counts, SHOW rows). */
import type { ColumnMeta, DmlStats, SessionContext, StatementResult } from "./Engine.js"
import { type JsonRows, parseRows } from "./jsonRows.js"

const column = (name: string, type: "text" | "fixed"): ColumnMeta => ({
  name,
  type,
  precision: type === "fixed" ? 38 : null,
  scale: type === "fixed" ? 0 : null,
  length: type === "text" ? 16777216 : null,
  byteLength: type === "text" ? 16777216 : null,
  nullable: type === "text",
  database: "",
  schema: "",
  table: "",
  collation: null
})

/** A VARCHAR column of Snowflake's default length, for results the emulator builds itself. */
export const textColumn = (name: string): ColumnMeta => column(name, "text")
/** A NUMBER(38,0) column, for counts and sizes in results the emulator builds itself. */
export const fixedColumn = (name: string): ColumnMeta => column(name, "fixed")

export const statusResult = (
  message: string,
  statementTypeId: number,
  context: SessionContext
): StatementResult => ({
  columns: [column("status", "text")],
  rows: [[message]],
  statementTypeId,
  context
})

const NO_DML: DmlStats = { numRowsInserted: 0, numRowsDeleted: 0, numRowsUpdated: 0, numDmlDuplicates: 0 }

export const dmlResult = (
  kind: "insert" | "update" | "delete" | "merge",
  count: number,
  statementTypeId: number,
  context: SessionContext
): StatementResult => {
  switch (kind) {
    case "insert":
      return {
        columns: [column("number of rows inserted", "fixed")],
        rows: [[String(count)]],
        statementTypeId,
        stats: { ...NO_DML, numRowsInserted: count },
        context
      }
    case "update":
      return {
        columns: [
          column("number of rows updated", "fixed"),
          column("number of multi-joined rows updated", "fixed")
        ],
        rows: [[String(count), "0"]],
        statementTypeId,
        stats: { ...NO_DML, numRowsUpdated: count },
        context
      }
    case "delete":
      return {
        columns: [column("number of rows deleted", "fixed")],
        rows: [[String(count)]],
        statementTypeId,
        stats: { ...NO_DML, numRowsDeleted: count },
        context
      }
    case "merge":
      // DuckDB reports one total for MERGE; Snowflake splits it by action
      return {
        columns: [column("number of rows inserted", "fixed"), column("number of rows updated", "fixed")],
        rows: [[String(count), "0"]],
        statementTypeId,
        stats: { ...NO_DML, numRowsInserted: count },
        context
      }
  }
}

/**
 * A query result carried as packed JSON rows (encode.ts, jsonRows.ts); `rows` is parsed only if
 * someone asks (tests, small inline paths), once.
 */
export const jsonRowsResult = (
  columns: ReadonlyArray<ColumnMeta>,
  rowsJson: JsonRows,
  statementTypeId: number,
  context: SessionContext
): StatementResult => {
  let rows: ReadonlyArray<ReadonlyArray<string | null>> | undefined
  return {
    columns,
    rowsJson,
    statementTypeId,
    context,
    get rows() {
      rows ??= parseRows(rowsJson, 0, rowsJson.count)
      return rows
    }
  }
}
