/**
 * COPY INTO <table> FROM @stage (§10), in four steps: parse the statement (parse.ts), choose the
 * stage files (FILES, PATTERN, SIZE_LIMIT, load history unless FORCE: chooseFiles.ts), stage each
 * file — read back from storage, decrypted (§9.4) and gunzipped (stages/stagedFile.ts), parsed
 * and staged in DuckDB with every cell checked against the target's types (stageFile.ts) — then
 * apply ON_ERROR, PURGE and RETURN_FAILED_ONLY (onError.ts). VALIDATION_MODE checks the files
 * instead of loading them (validation.ts).
 * A string longer than its column's declared length is its record's error (100074), or is cut to
 * it with TRUNCATECOLUMNS = TRUE / ENFORCE_LENGTH = FALSE (lengths.ts).
 *
 * Load history: a file (storage key + MD5) loaded into a table is not loaded again without
 * FORCE=TRUE — it is skipped silently, as Snowflake does (fakesnow reports LOAD_SKIPPED rows
 * instead); when every file is skipped the answer is `Copy executed with 0 files processed.`.
 */
import { Effect } from "effect"
import { STATEMENT_TYPE_ID } from "../engine/classify.js"
import { EngineError, type StatementResult } from "../engine/Engine.js"
import { qualify } from "../stages/catalog.js"
import { rowsResult, textCol } from "../stages/columns.js"
import { internal, syntax, tableMissing } from "../stages/errors.js"
import { resolveFileFormat } from "../stages/fileFormats.js"
import type { HookEnv, StageDeps } from "../stages/hook.js"
import { merge, nameParts, type StageToken, textOption } from "../stages/sqlText.js"
import { readBody } from "../stages/stagedFile.js"
import { resolveStage } from "../stages/statements.js"
import { chooseFiles } from "./chooseFiles.js"
import { truncatesColumns } from "./lengths.js"
import { dropStaged, findTarget, type StagedFile, type Target } from "./load.js"
import { badCell, loadError } from "./loadErrors.js"
import { applyOnError, type FileLoad, fileLoad, onErrorOf } from "./onError.js"
import { parseCopy } from "./parse.js"
import { type FileReading, nameMatch, stageFile } from "./stageFile.js"
import { makeValidator, transformNotValidated, validationModeOf } from "./validation.js"

const isTrue = (value: string | undefined) => (value ?? "FALSE").toUpperCase() === "TRUE"

export const copyInto = (
  deps: StageDeps,
  tokens: ReadonlyArray<StageToken>,
  env: HookEnv,
  sql: string,
  /** Runs a statement through the engine's own path (VALIDATION_MODE's rows, validation.ts). */
  run: (sql: string) => Effect.Effect<StatementResult, EngineError>
): Effect.Effect<StatementResult, EngineError> | undefined => {
  const { connection, context: ctx } = env
  const statement = parseCopy(tokens, sql)
  if (statement === undefined) return undefined
  const { options, transformed } = statement

  return Effect.gen(function* () {
    const stage = yield* resolveStage(deps, statement.source, env)
    const [database, schema, table] = qualify(nameParts(statement.table), ctx)
    const found = yield* findTarget(connection, database, schema, table).pipe(Effect.mapError(internal))
    if (found === undefined) return yield* Effect.fail(tableMissing(`${database}.${schema}.${table}`))
    const columns =
      statement.columns.length === 0
        ? found.columns
        : statement.columns.map(
            (name) => found.columns.find((c) => c.name === name) ?? { name, type: "VARCHAR", nullable: true }
          )
    const target: Target = { ...found, columns, truncateColumns: truncatesColumns(options) }

    const format = merge(
      stage.named?.fileFormat ?? new Map(),
      yield* resolveFileFormat(deps, options.get("FILE_FORMAT"), env)
    )
    const type = (textOption(format, "TYPE") ?? "CSV").toUpperCase()
    if (type !== "CSV" && type !== "JSON" && type !== "PARQUET")
      return yield* Effect.fail(syntax(`file format type ${type} is not supported by the emulator`))
    const matchName = nameMatch(textOption(options, "MATCH_BY_COLUMN_NAME"))
    const onError = onErrorOf(textOption(options, "ON_ERROR"))
    // check the files instead of loading them (validation.ts)
    const validation = yield* validationModeOf(textOption(options, "VALIDATION_MODE"))
    if (validation !== undefined && transformed !== undefined)
      return yield* Effect.fail(transformNotValidated)
    if (transformed !== undefined) {
      const count = transformed.transform.expressions.length
      if (count !== columns.length)
        return yield* Effect.fail(EngineError.valueListMismatch(columns.length, count))
    } else if (type === "JSON" && matchName === undefined && columns.length !== 1)
      return yield* Effect.fail(
        EngineError.copyColumns(
          "JSON file format can produce one and only one column of type variant, object, or array. Use CSV file format if you want to load more than one column."
        )
      )

    const history = deps.catalog.loads(target.sql)
    const chosen = yield* chooseFiles(deps, stage, options, history, validation)
    if (chosen.length === 0) {
      return rowsResult(
        [textCol("status")],
        [["Copy executed with 0 files processed."]],
        STATEMENT_TYPE_ID.copy,
        ctx
      )
    }

    const reading: FileReading = {
      connection,
      target,
      type,
      format,
      matchName,
      strictCount: isTrue(textOption(format, "ERROR_ON_COLUMN_COUNT_MISMATCH") ?? "TRUE"),
      transformed,
      context: { ...ctx, sessionId: env.sessionId },
      abort: onError._tag === "Abort"
    }
    // every staging table, registered as soon as it exists (no yield in between), so that it goes
    // however the statement ends, interruption included (DROP … IF EXISTS: the validator drops its own)
    const created: Array<StagedFile> = []
    const release = () =>
      Effect.forEach(created, (staged) => dropStaged(connection, staged), { discard: true })
    const validator =
      validation === undefined
        ? undefined
        : makeValidator(
            validation,
            connection,
            target,
            ctx,
            (staged, bad, record) => badCell(connection, target, staged, bad, record),
            run,
            (fault, file) => loadError(fault, file)
          )
    // stage and check every file before inserting anything
    const work = Effect.gen(function* () {
      const loads: Array<FileLoad> = []
      for (const file of chosen) {
        const body = yield* readBody(deps, file.object.key, stage.masterKey)
        const read = yield* stageFile(reading, file, body)
        created.push(read.staged)
        if (validator !== undefined) {
          const enough = yield* validator.take({ file, body, text: type !== "PARQUET", ...read })
          if (enough) break
          continue
        }
        loads.push(yield* fileLoad(connection, target, file, read))
      }
      if (validator !== undefined) return yield* validator.result
      return yield* applyOnError(
        {
          deps,
          connection,
          target,
          onError,
          history,
          purge: isTrue(textOption(options, "PURGE")),
          failedOnly: isTrue(textOption(options, "RETURN_FAILED_ONLY")),
          context: ctx
        },
        loads
      )
    })
    return yield* work.pipe(
      Effect.ensuring(release()),
      Effect.ensuring(validator === undefined ? Effect.void : validator.release)
    )
  })
}
