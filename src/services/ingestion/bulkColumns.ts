/**
 * Which table column each record key of a bulk insert goes to.
 *
 * Record keys are property names, not SQL: each is matched to the table's column of that exact
 * name, or else to the one column whose name differs only in case — the way JSON and Parquet
 * loads match by name — so `{ id }` loads into ID, and into a column created quoted as "id" (as
 * pandas and dbt create them). The table's columns come from one `SELECT * … LIMIT 0`, whose
 * rowtype also types a Parquet body. A key that matches no column, or several, fails before
 * anything is uploaded, naming the key and the table's columns: Snowflake would otherwise load
 * NULL for it without a word (JSON, Parquet) or reject the COPY after the upload (CSV).
 */
import * as Effect from "effect/Effect"
import { DataError, type SnowflakeError } from "../../errors/index.js"
import type { Column } from "../../protocol/decode/index.js"
import { sqlName } from "../../sql/identifier.js"
import type { ClientService } from "../Client.js"

/** The column of `columns` that `key` names, or why there is none. */
export const matchColumn = (
  key: string,
  columns: ReadonlyArray<Column>
): { readonly column: Column } | { readonly problem: string } => {
  const exact = columns.find((c) => c.name === key)
  if (exact !== undefined) return { column: exact }
  const lower = key.toLowerCase()
  const folded = columns.filter((c) => c.name.toLowerCase() === lower)
  if (folded.length === 1) return { column: folded[0]! }
  return {
    problem:
      folded.length === 0
        ? `matches no column`
        : `matches ${folded.map((c) => JSON.stringify(c.name)).join(" and ")}, which differ only in case`
  }
}

/** The table's columns for `keys`, in their order (`table` as `nameParts` reads it). */
export const targetColumns = (
  engine: ClientService,
  table: string,
  keys: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<Column>, SnowflakeError> =>
  Effect.flatMap(engine.execute(`SELECT * FROM ${sqlName(table)} LIMIT 0`), (result) => {
    const matched: Array<Column> = []
    for (const key of keys) {
      const found = matchColumn(key, result.columns)
      if ("problem" in found)
        return new DataError({
          message: `bulkInsert into ${table}: record key ${JSON.stringify(key)} ${found.problem} (columns: ${result.columns.map((c) => c.name).join(", ")})`
        })
      matched.push(found.column)
    }
    return Effect.succeed(matched)
  })
