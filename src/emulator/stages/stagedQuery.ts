/**
 * Querying staged files: `SELECT … FROM @stage[/path] [(FILE_FORMAT => 'name', PATTERN => '…')]
 * [alias] …`. The files the reference names are read as COPY INTO reads them (decrypted,
 * gunzipped, parsed with the named format, else the stage's, else CSV defaults), one at a time,
 * each into a temporary table (under one view when there are several, so memory holds one file's
 * records at most) — a row per record: `c1`, `c2`, … (a JSON document, or a Parquet row as the
 * object of its columns, is `c1`), its `__row` and `__file` — and the query, its `$n`,
 * METADATA$FILENAME and METADATA$FILE_ROW_NUMBER pointed at that table, runs through the engine
 * like any other. One stage reference per query.
 */
import { Effect } from "effect"
import { pointAtRecord } from "../copy/copyTransform.js"
import { parseCsv, parseJson } from "../copy/formats.js"
import { appendRecords, parquetDocuments } from "../copy/load.js"
import { runStatement } from "../engine/duck.js"
import type { EngineError, StatementResult } from "../engine/Engine.js"
import { quoteIdent, significant, type Token, tokenize } from "../engine/lexer.js"
import { internal, syntax } from "./errors.js"
import { resolveFileFormat } from "./fileFormats.js"
import type { HookEnv, StageDeps } from "./hook.js"
import { merge, textOption } from "./sqlText.js"
import { readBody } from "./stagedFile.js"
import { patternOf, resolveStage, stageObjects } from "./statements.js"

interface StageReference {
  readonly stage: string
  /** Where the reference (with its options) stands in the SQL text. */
  readonly start: number
  readonly end: number
  readonly format: string | undefined
  readonly pattern: string | undefined
}

const unquote = (literal: string) => literal.slice(1, -1).replace(/''/g, "'")

/** The first `FROM @…` / `JOIN @…` (or `'@…'`) of a query, with its options. */
const findStageReference = (sql: string): StageReference | undefined => {
  const tokens = significant(tokenize(sql))
  for (let k = 1; k < tokens.length; k++) {
    const t = tokens[k] as Token
    const before = (tokens[k - 1] as Token).text.toUpperCase()
    if (before !== "FROM" && before !== "JOIN") continue
    let stage: string
    let end: number
    if (t.text === "@") {
      end = t.start
      while (end < sql.length && !/[\s(),;]/.test(sql[end] as string)) end++
      stage = sql.slice(t.start, end)
    } else if (t.kind === "string" && t.text.startsWith("'@")) {
      end = t.start + t.text.length
      stage = unquote(t.text)
    } else continue
    const options = /^\s*\(([^()]*=>[^()]*)\)/.exec(sql.slice(end))
    const inner = options?.[1] ?? ""
    const format = /FILE_FORMAT\s*=>\s*(?:'((?:[^']|'')*)'|([A-Za-z0-9_$."]+))/i.exec(inner)
    const pattern = /PATTERN\s*=>\s*'((?:[^']|'')*)'/i.exec(inner)
    return {
      stage,
      start: t.start,
      end: end + (options?.[0].length ?? 0),
      format: format === null ? undefined : (format[2] ?? format[1]?.replace(/''/g, "'")),
      pattern: pattern?.[1]?.replace(/''/g, "'")
    }
  }
  return undefined
}

let tableCounter = 0

/** The staged-file query `sql` answered, or undefined when it reads no stage. */
export const stagedQuery = (
  deps: StageDeps,
  sql: string,
  env: HookEnv,
  run: (sql: string) => Effect.Effect<StatementResult, EngineError>
): Effect.Effect<StatementResult, EngineError> | undefined => {
  if (!/\b(FROM|JOIN)\s+'?@/i.test(sql)) return undefined
  const reference = findStageReference(sql)
  if (reference === undefined) return undefined
  return Effect.gen(function* () {
    const stage = yield* resolveStage(deps, reference.stage, env)
    const named =
      reference.format === undefined
        ? undefined
        : yield* resolveFileFormat(deps, { kind: "text", value: reference.format, quoted: false }, env)
    const format = merge(stage.named?.fileFormat ?? new Map(), named)
    const type = (textOption(format, "TYPE") ?? "CSV").toUpperCase()
    if (type !== "CSV" && type !== "JSON" && type !== "PARQUET")
      return yield* Effect.fail(syntax(`querying staged ${type} files is not supported by the emulator`))
    const objects = yield* stageObjects(deps, stage, patternOf(reference.pattern))
    const { connection } = env
    // one table per file, filled as soon as the file is read (its records are not kept), under one
    // view: files may have different widths, which UNION ALL BY NAME fills with NULLs
    const tables: Array<string> = []
    const createTable = (width: number) =>
      Effect.gen(function* () {
        tableCounter += 1
        const name = `__sf_staged_query_${tableCounter}`
        const cells = Array.from(
          { length: width },
          (_, i) => `${quoteIdent(`c${i + 1}`)} ${type !== "CSV" && i === 0 ? "JSON" : "VARCHAR"}`
        )
        yield* runStatement(
          connection,
          `CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} (__row BIGINT, ${cells.join(", ")}, __file VARCHAR)`
        ).pipe(Effect.mapError(internal))
        tables.push(name)
        return name
      })
    let view: string | undefined
    const query = Effect.gen(function* () {
      for (const o of objects) {
        const body = yield* readBody(deps, o.object.key, stage.masterKey)
        const records =
          type === "PARQUET"
            ? yield* parquetDocuments(connection, body).pipe(
                Effect.mapError((e) =>
                  internal({ message: `cannot read Parquet file ${o.relative}: ${e.message}` })
                )
              )
            : (type === "CSV"
                ? parseCsv(body.toString("utf8"), format)
                : parseJson(body.toString("utf8"), format, undefined)
              ).records
        const width = records.reduce((w, r) => Math.max(w, r.cells.length), 1)
        const table = yield* createTable(width)
        yield* appendRecords(connection, table, records, width, o.relative).pipe(Effect.mapError(internal))
      }
      if (tables.length === 0) yield* createTable(1)
      let source = tables[0] as string
      if (tables.length > 1) {
        tableCounter += 1
        view = `__sf_staged_query_${tableCounter}`
        yield* runStatement(
          connection,
          `CREATE OR REPLACE TEMP VIEW ${quoteIdent(view)} AS ${tables.map((t) => `SELECT * FROM ${quoteIdent(t)}`).join(" UNION ALL BY NAME ")}`
        ).pipe(Effect.mapError(internal))
        source = view
      }
      const rewritten = sql.slice(0, reference.start) + quoteIdent(source) + sql.slice(reference.end)
      return yield* run(pointAtRecord(rewritten, undefined, quoteIdent("__file")))
    })
    return yield* query.pipe(
      Effect.ensuring(
        Effect.suspend(() =>
          Effect.forEach(
            [
              ...(view === undefined ? [] : [`DROP VIEW IF EXISTS ${quoteIdent(view)}`]),
              ...tables.map((t) => `DROP TABLE IF EXISTS ${quoteIdent(t)}`)
            ],
            (statement) => runStatement(connection, statement).pipe(Effect.ignore),
            { discard: true }
          )
        )
      )
    )
  })
}
