/**
 * ON_ERROR, once every file is staged and checked: ABORT_STATEMENT loads nothing if any file has
 * an error; CONTINUE loads the good rows; SKIP_FILE[_n[%]] drops a file with too many errors.
 * Then each file's rows go into the table, its load is remembered (load history), PURGE removes
 * it, and the answer has a row per file (RETURN_FAILED_ONLY: the files not fully loaded).
 */
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { STATEMENT_TYPE_ID } from "../engine/classify.js"
import type { EngineError, SessionContext, StatementResult } from "../engine/Engine.js"
import type { LoadRecord } from "../stages/catalog.js"
import { fixedCol, rowsResult, textCol } from "../stages/columns.js"
import { internal, storageFailure } from "../stages/errors.js"
import type { StageDeps } from "../stages/hook.js"
import type { ListedObject } from "../stages/statements.js"
import { insertStaged, type StagedFile, type Target } from "./load.js"
import { badCell, type FirstError, loadError } from "./loadErrors.js"
import { recordNumbers } from "./recordNumbers.js"
import type { StagedRead } from "./stageFile.js"

export type OnError =
  | { readonly _tag: "Abort" }
  | { readonly _tag: "Continue" }
  | { readonly _tag: "SkipFile"; readonly limit: number; readonly percent: boolean }

export const onErrorOf = (text: string | undefined): OnError => {
  const t = (text ?? "ABORT_STATEMENT").toUpperCase()
  if (t === "CONTINUE") return { _tag: "Continue" }
  if (t === "SKIP_FILE") return { _tag: "SkipFile", limit: 1, percent: false }
  const m = /^SKIP_FILE_(\d+)(%?)$/.exec(t)
  if (m !== null) return { _tag: "SkipFile", limit: Number(m[1]), percent: m[2] === "%" }
  return { _tag: "Abort" }
}

/** One staged file as ON_ERROR judges it. */
export interface FileLoad {
  readonly file: ListedObject
  readonly rowsParsed: number
  readonly errorsSeen: number
  readonly first: FirstError | undefined
  readonly staged: StagedFile | undefined
  /** Staged rows not to insert. */
  readonly skip: ReadonlyArray<number>
}

/** A staged file's counts and its first error (in file order: a record's, or a bad cell's). */
export const fileLoad = (
  connection: DuckDBConnection,
  target: Target,
  file: ListedObject,
  read: StagedRead
): Effect.Effect<FileLoad, EngineError> =>
  Effect.gen(function* () {
    const { staged, records, recordErrors } = read
    let first: FirstError | undefined
    const numbers = recordNumbers(records, recordErrors)
    const firstRecord = [...recordErrors].sort((a, b) => a.line - b.line)[0]
    if (firstRecord !== undefined)
      first = { ...firstRecord, columnName: null, row: numbers.ofError(firstRecord) }
    const firstBad = staged.bad[0]
    if (firstBad !== undefined) {
      const line = records[firstBad.row]?.line ?? firstBad.row + 1
      if (first === undefined || line < first.line)
        first = {
          ...(yield* badCell(connection, target, staged, firstBad, records[firstBad.row])),
          row: numbers.ofRow(firstBad.row, line)
        }
    }
    return {
      file,
      rowsParsed: staged.rows + recordErrors.length,
      errorsSeen: recordErrors.length + staged.bad.length,
      first,
      staged,
      skip: staged.bad.map((b) => b.row)
    }
  })

const ABORT_HINT =
  "If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client."

/** The error limit of a file under `onError` (the answer's `error_limit`). */
const errorLimit = (onError: OnError, load: FileLoad) =>
  onError._tag === "SkipFile"
    ? onError.percent
      ? Math.ceil((onError.limit / 100) * load.rowsParsed)
      : onError.limit
    : onError._tag === "Continue"
      ? load.rowsParsed
      : 1

export interface Applying {
  readonly deps: StageDeps
  readonly connection: DuckDBConnection
  readonly target: Target
  readonly onError: OnError
  readonly history: Map<string, LoadRecord>
  readonly purge: boolean
  readonly failedOnly: boolean
  readonly context: SessionContext
}

export const applyOnError = (
  applying: Applying,
  loads: ReadonlyArray<FileLoad>
): Effect.Effect<StatementResult, EngineError> =>
  Effect.gen(function* () {
    const { connection, target, onError, history } = applying
    if (onError._tag === "Abort") {
      const failed = loads.find((l) => l.first !== undefined)
      if (failed?.first !== undefined)
        return yield* Effect.fail(loadError(failed.first, failed.file.name, ABORT_HINT))
    }
    const rows: Array<Array<string | null>> = []
    let total = 0
    for (const l of loads) {
      const limit = errorLimit(onError, l)
      const skipFile = onError._tag === "SkipFile" && l.errorsSeen >= Math.max(limit, 1)
      const loaded =
        skipFile || l.staged === undefined
          ? 0
          : yield* insertStaged(connection, target, l.staged, l.skip).pipe(Effect.mapError(internal))
      total += loaded
      const status = l.errorsSeen === 0 ? "LOADED" : loaded === 0 ? "LOAD_FAILED" : "PARTIALLY_LOADED"
      if (status !== "LOAD_FAILED") {
        history.set(l.file.object.key, {
          md5: l.file.object.md5,
          rows: loaded,
          loadedAt: new Date(),
          partial: status === "PARTIALLY_LOADED"
        })
        if (applying.purge)
          yield* applying.deps.storage.remove(l.file.object.key).pipe(Effect.mapError(storageFailure))
      }
      const f = l.first
      if (applying.failedOnly && status === "LOADED") continue
      rows.push([
        l.file.name,
        status,
        String(l.rowsParsed),
        String(loaded),
        String(limit),
        String(l.errorsSeen),
        f?.message ?? null,
        f === undefined ? null : String(f.line),
        f === undefined ? null : String(f.character),
        f?.columnName ?? null
      ])
    }
    return {
      ...rowsResult(
        [
          textCol("file"),
          textCol("status"),
          fixedCol("rows_parsed"),
          fixedCol("rows_loaded"),
          fixedCol("error_limit"),
          fixedCol("errors_seen"),
          textCol("first_error"),
          fixedCol("first_error_line"),
          fixedCol("first_error_character"),
          textCol("first_error_column_name")
        ],
        rows,
        STATEMENT_TYPE_ID.copy,
        applying.context
      ),
      stats: { numRowsInserted: total, numRowsDeleted: 0, numRowsUpdated: 0, numDmlDuplicates: 0 }
    }
  })
