/**
 * Stage binding (query-request `bindStage`, PROTOCOL.md §5.2). Above
 * CLIENT_STAGE_ARRAY_BINDING_THRESHOLD bind values snowflake-sdk runs
 * `CREATE OR REPLACE TEMPORARY STAGE SYSTEM$BIND file_format=( type=csv field_optionally_enclosed_by='"')`
 * once per connection, PUTs the binds as CSV files named 1, 2, … to `@SYSTEM$BIND/<uuid>` and sends
 * the statement with `bindStage: "@SYSTEM$BIND/<uuid>"` instead of `bindings`. The statement then
 * runs once per CSV record of every file under that path (files in name order, records in file
 * order), the record's fields as its positional binds: an empty unquoted field is NULL, `""` an
 * empty string. The answer is the array-bind answer (rows inserted, …).
 *
 * The files are read as COPY INTO reads them (copyInto.ts: decrypted, gunzipped when they are gzip —
 * the sdk says `source_compression=gzip` but uploads plain text — and parsed with the stage's
 * format). A record with the wrong number of fields, or a broken enclosure, fails the statement
 * with the file and line. `INSERT INTO t [(cols)] VALUES (?, …)` with nothing but markers in the
 * tuple (what every driver batches) loads like COPY: each file is staged by DuckDB's own CSV reader
 * when it reads it exactly as Snowflake (nativeCsv.ts), else the records go to DuckDB through the
 * appender; every cell is checked against its column's type, then INSERT … SELECT. Any other
 * statement runs through the engine with the records as TEXT array binds.
 */
import { Effect } from "effect"
import { type ParsedRecord, parseCsv } from "../copy/formats.js"
import {
  dropStaged,
  findTarget,
  insertStaged,
  type StagedFile,
  stageRecords,
  type Target
} from "../copy/load.js"
import { badCell, columnCountError, loadError } from "../copy/loadErrors.js"
import { stageCsvNatively } from "../copy/nativeCsv.js"
import { countMarkers } from "../engine/binds.js"
import { STATEMENT_TYPE_ID } from "../engine/classify.js"
import { type Bindings, type BindStageHook, EngineError } from "../engine/Engine.js"
import { identifierName } from "../engine/lexer.js"
import { dmlResult } from "../engine/results.js"
import { readName, words } from "../engine/words.js"
import { qualify } from "./catalog.js"
import { internal, syntax } from "./errors.js"
import type { HookEnv, StageDeps } from "./hook.js"
import { merge, type Options, readOptions, stageTokens, textOption } from "./sqlText.js"
import { readBody } from "./stagedFile.js"
import { resolveStage, stageObjects } from "./statements.js"

/** The format snowflake-sdk creates SYSTEM$BIND with; the stage's own FILE_FORMAT goes over it. */
const SDK_FORMAT: Options = readOptions(
  stageTokens(`TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"'`),
  0
).options

interface BindFile {
  /** LIST's name of the file, for errors. */
  readonly name: string
  readonly records: ReadonlyArray<ParsedRecord>
}

const noFiles = (stage: string) =>
  EngineError.missing(
    `Bind stage '${stage}' has no files: the bind values were not uploaded, or were removed.`
  )

/** The bind stage's format and every file under its path, in name order (1, 2, …, 10). */
const listBindFiles = (deps: StageDeps, text: string, env: HookEnv) =>
  Effect.gen(function* () {
    const stage = yield* resolveStage(deps, text, env)
    const format = merge(SDK_FORMAT, stage.named?.fileFormat)
    const type = (textOption(format, "TYPE") ?? "CSV").toUpperCase()
    if (type !== "CSV")
      return yield* Effect.fail(syntax(`a bind stage's file format must be CSV, not ${type}`))
    const dir = stage.path.replace(/\/+$/, "")
    const objects = (yield* stageObjects(deps, stage, undefined))
      .filter((o) => dir === "" || o.relative === dir || o.relative.startsWith(`${dir}/`))
      .sort((a, b) => a.relative.localeCompare(b.relative, "en", { numeric: true }))
    if (objects.length === 0) return yield* Effect.fail(noFiles(text))
    return { format, objects, read: (key: string) => readBody(deps, key, stage.masterKey) }
  })

type BindListing = Effect.Effect.Success<ReturnType<typeof listBindFiles>>

/** Every bind file parsed and checked (the exact reading). */
const readBindFiles = (listing: BindListing, markers: number) =>
  Effect.gen(function* () {
    const { format, objects } = listing
    const files: Array<BindFile> = []
    for (const o of objects) {
      const body = yield* listing.read(o.object.key)
      // every record ends in a newline, so a last blank line is a record (one NULL bind)
      const parsed = parseCsv(body.toString("utf8"), format, { trailingBlankLine: true })
      const wrong = parsed.records.find((r) => r.cells.length !== markers)
      const problems = [...parsed.errors]
      if (wrong !== undefined)
        problems.push(
          columnCountError(wrong.line, wrong.cells.length, `the number of bind variables (${markers})`)
        )
      const first = problems.sort((a, b) => a.line - b.line)[0]
      if (first !== undefined) return yield* Effect.fail(loadError({ ...first, columnName: null }, o.name))
      files.push({ name: o.name, records: parsed.records })
    }
    return files
  })

/** `INSERT INTO t [(cols)] VALUES (<markers only>)`: the table, columns and each value's bind index. */
interface SimpleInsert {
  readonly table: ReadonlyArray<string>
  readonly columns: ReadonlyArray<string> | undefined
  /** 0-based bind index of each value of the tuple. */
  readonly fields: ReadonlyArray<number>
}

const simpleInsert = (sql: string): SimpleInsert | undefined => {
  const w = words(sql)
  if (w.upper[0] !== "INSERT" || w.upper[1] !== "INTO") return undefined
  const { parts, next } = readName(w, 2)
  if (parts.length === 0) return undefined
  let i = next
  let columns: Array<string> | undefined
  if (w.upper[i] === "(") {
    columns = []
    for (i++; ; i++) {
      const t = w.tokens[i]
      if (t === undefined || (t.kind !== "word" && t.kind !== "qident")) return undefined
      columns.push(identifierName(t))
      i++
      if (w.upper[i] === ")") break
      if (w.upper[i] !== ",") return undefined
    }
    i++
  }
  if (w.upper[i] !== "VALUES" || w.upper[i + 1] !== "(") return undefined
  const fields: Array<number> = []
  let positional = 0
  let numbered = 0
  for (i += 2; ; i++) {
    const t = w.tokens[i]
    if (t?.kind !== "bind") return undefined
    if (t.text === "?") fields.push(positional++)
    else if (/^:\d+$/.test(t.text)) {
      numbered++
      fields.push(Number(t.text.slice(1)) - 1)
    } else return undefined
    i++
    if (w.upper[i] === ")") break
    if (w.upper[i] !== ",") return undefined
  }
  if (i + 1 !== w.tokens.length || (positional > 0 && numbered > 0)) return undefined
  return { table: parts, columns, fields }
}

/** The table and columns a simple INSERT loads; undefined when the engine should run it (it reports what is wrong). */
const insertTarget = (env: HookEnv, insert: SimpleInsert) =>
  Effect.gen(function* () {
    const [database, schema, table] = qualify(insert.table, env.context)
    const found = yield* findTarget(env.connection, database, schema, table).pipe(Effect.mapError(internal))
    if (found === undefined) return undefined
    const columns =
      insert.columns === undefined
        ? found.columns
        : insert.columns.map((name) => found.columns.find((c) => c.name === name))
    if (columns.length !== insert.fields.length || columns.some((c) => c === undefined)) return undefined
    return { ...found, columns: columns.flatMap((c) => (c === undefined ? [] : [c])) } satisfies Target
  })

/**
 * The fast load of a simple INSERT whose markers are the columns in order (what every driver
 * sends): each file staged by DuckDB's reader (nativeCsv.ts), then inserted in file order. Undefined
 * — nothing inserted — when any file is not one the fast reader takes, or has a bad cell: the exact
 * reading then finds the first problem with its file, line and character.
 */
const nativeInsert = (env: HookEnv, insert: SimpleInsert, target: Target, listing: BindListing) =>
  Effect.gen(function* () {
    const { connection, context } = env
    if (!insert.fields.every((field, i) => field === i)) return undefined
    const staged: Array<StagedFile> = []
    const release = Effect.forEach(staged, (s) => dropStaged(connection, s), { discard: true })
    const load = Effect.gen(function* () {
      for (const o of listing.objects) {
        const body = yield* listing.read(o.object.key)
        const file = yield* stageCsvNatively(connection, target, body, listing.format)
        if (file === undefined) return undefined
        staged.push(file)
      }
      if (staged.every((s) => s.rows === 0)) return undefined
      let count = 0
      for (const s of staged)
        count += yield* insertStaged(connection, target, s, []).pipe(Effect.mapError(internal))
      return dmlResult("insert", count, STATEMENT_TYPE_ID.insert, context)
    })
    return yield* load.pipe(Effect.ensuring(Effect.suspend(() => release)))
  })

/** The COPY-like load of a simple INSERT (exact reading). */
const stagedInsert = (env: HookEnv, insert: SimpleInsert, target: Target, files: ReadonlyArray<BindFile>) =>
  Effect.gen(function* () {
    const { connection, context } = env
    const identity = insert.fields.every((field, i) => field === i)
    const records = files.flatMap((f) =>
      identity
        ? f.records
        : f.records.map((r) => ({
            ...r,
            cells: insert.fields.map((k) => r.cells[k] ?? null),
            starts: insert.fields.map((k) => r.starts[k] ?? 1)
          }))
    )
    return yield* Effect.acquireUseRelease(
      stageRecords(connection, target, records).pipe(Effect.mapError(internal)),
      (staged) =>
        Effect.gen(function* () {
          const bad = staged.bad[0]
          if (bad !== undefined) {
            let row = bad.row
            const file = files.find((f) => {
              if (row < f.records.length) return true
              row -= f.records.length
              return false
            })
            const first = yield* badCell(connection, target, staged, bad, records[bad.row])
            return yield* Effect.fail(loadError(first, file?.name ?? ""))
          }
          const count = yield* insertStaged(connection, target, staged, []).pipe(Effect.mapError(internal))
          return dmlResult("insert", count, STATEMENT_TYPE_ID.insert, context)
        }),
      (staged) => dropStaged(connection, staged)
    )
  })

/** All records as TEXT array binds keyed "1", "2", … (the engine's batch path). */
const asBindings = (files: ReadonlyArray<BindFile>, markers: number): Bindings => {
  const values = Array.from({ length: markers }, () => [] as Array<string | null>)
  for (const f of files)
    for (const r of f.records) for (let k = 0; k < markers; k++) values[k]?.push(r.cells[k] ?? null)
  return Object.fromEntries(values.map((value, k) => [String(k + 1), { type: "TEXT", value }]))
}

export const makeBindStageHook =
  (deps: StageDeps): BindStageHook =>
  (sql, stage, env, withBindings) =>
    Effect.gen(function* () {
      const markers = countMarkers(sql)
      const listing = yield* listBindFiles(deps, stage, env)
      const insert = simpleInsert(sql)
      const target = insert === undefined ? undefined : yield* insertTarget(env, insert)
      if (insert !== undefined && target !== undefined) {
        const fast = yield* nativeInsert(env, insert, target, listing)
        if (fast !== undefined) return fast
      }
      const files = yield* readBindFiles(listing, markers)
      if (insert !== undefined && target !== undefined) return yield* stagedInsert(env, insert, target, files)
      if (files.every((f) => f.records.length === 0))
        return yield* Effect.fail(
          EngineError.binding(`SQL compilation error: Bind stage '${stage}' has no rows.`)
        )
      return yield* withBindings(asBindings(files, markers))
    })
