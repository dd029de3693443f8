/**
 * COPY INTO <table> [(columns)] FROM @stage … | FROM (SELECT <expressions> FROM @stage [alias]) …
 * read into what the load needs: the table, its listed columns, the stage, the transform
 * (copyTransform.ts) and the options. Undefined when the statement is not such a COPY (COPY INTO
 * @stage, an unload, is not the emulator's).
 */

import {
  nameParts,
  type Options,
  readOptions,
  type StageToken,
  stageTokens,
  upper
} from "../stages/sqlText.js"
import type { Transform } from "./copyTransform.js"
import { parseTransform } from "./copyTransform.js"

export interface CopyStatement {
  /** The table as written (`db.schema.t`, quoted parts kept). */
  readonly table: string
  /** The columns listed after the table, or none (every column, in order). */
  readonly columns: ReadonlyArray<string>
  /** `@stage[/path]`. */
  readonly source: string
  readonly transformed: { readonly transform: Transform; readonly alias?: string } | undefined
  readonly options: Options
}

export const parseCopy = (tokens: ReadonlyArray<StageToken>, sql: string): CopyStatement | undefined => {
  if (upper(tokens[0]) !== "COPY" || upper(tokens[1]) !== "INTO") return undefined
  const table = tokens[2]
  if (table === undefined || table.value.startsWith("@")) return undefined
  let i = 3
  const columns: Array<string> = []
  if (tokens[i]?.kind === "punct" && tokens[i]?.value === "(") {
    i++
    while (i < tokens.length && !(tokens[i]?.kind === "punct" && tokens[i]?.value === ")")) {
      const t = tokens[i]
      if (t?.kind === "bare") columns.push(...nameParts(t.value))
      i++
    }
    i++
  }
  if (upper(tokens[i]) !== "FROM") return undefined
  // FROM @stage …, or FROM (SELECT <expressions> FROM @stage) … (copyTransform.ts)
  const transformed =
    tokens[i + 1]?.kind === "punct" && tokens[i + 1]?.value === "(" ? parseTransform(sql) : undefined
  const source = transformed?.transform.stage ?? tokens[i + 1]?.value
  if (source === undefined || !source.startsWith("@")) return undefined
  const options =
    transformed === undefined
      ? readOptions(tokens, i + 2).options
      : readOptions(stageTokens(transformed.transform.rest), 0).options
  return { table: table.value, columns, source, transformed, options }
}
