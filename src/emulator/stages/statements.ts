/**
 * The stage statements the emulator answers itself: CREATE / DROP / SHOW STAGES, PUT and GET
 * (transfer instructions, §9.2), LIST and REMOVE (§9.6). COPY INTO lives in copyInto.ts.
 */
import { Effect } from "effect"
import { STATEMENT_TYPE_ID } from "../engine/classify.js"
import type { StatementResult } from "../engine/Engine.js"
import { likeRegExp } from "../engine/lexer.js"
import type { StoredObject } from "../storage/storage.js"
import { namedKey, namedRoot, qualify, type ResolvedStage, stageRoot } from "./catalog.js"
import { epochText, fixedCol, rowsResult, textCol, timestampCol } from "./columns.js"
import { stageExists, stageMissing, storageFailure, syntax } from "./errors.js"
import { resolveFileFormat } from "./fileFormats.js"
import type { HookEnv, HookResult, StageDeps } from "./hook.js"
import {
  boolOption,
  localPath,
  type Options,
  parseStageRef,
  readOptions,
  type StageToken,
  textOption,
  upper
} from "./sqlText.js"
import { downloadData, uploadData } from "./transfer.js"

/** Resolves `@…` against the session; named stages must exist (the session's temporary ones first). */
export const resolveStage = (deps: StageDeps, text: string, env: HookEnv) =>
  Effect.gen(function* () {
    const ctx = env.context
    const ref = parseStageRef(text)
    if (ref === undefined) return yield* Effect.fail(syntax(`invalid stage location '${text}'`))
    let root = stageRoot(ref, ctx)
    let named: ResolvedStage["named"]
    let listPrefix = ""
    if (ref.kind === "named") {
      const [d, s, n] = qualify(ref.parts, ctx)
      named = deps.catalog.find(namedKey(d, s, n), env.sessionId)
      if (named === undefined) return yield* Effect.fail(stageMissing(`${d}.${s}.${n}`))
      root = named.root
      listPrefix = `${n.toLowerCase()}/`
    }
    return {
      root,
      path: ref.path.replace(/^\/+/, ""),
      listPrefix,
      masterKey: deps.catalog.masterKey(root),
      named
    } satisfies ResolvedStage
  })

/** A regex that must match the whole name, as Snowflake's PATTERN does. */
export const patternOf = (pattern: string | undefined) =>
  pattern === undefined ? undefined : new RegExp(`^(?:${pattern})$`)

/** Objects under the stage path, with their LIST names; PATTERN applies to those names. */
export const stageObjects = (deps: StageDeps, stage: ResolvedStage, pattern: RegExp | undefined) =>
  deps.storage.list(stage.root + stage.path).pipe(
    Effect.mapError(storageFailure),
    Effect.map((objects) =>
      objects
        .map((o) => ({ object: o, relative: o.key.slice(stage.root.length), name: "" }))
        .map((o) => ({ ...o, name: stage.listPrefix + o.relative }))
        .filter((o) => pattern === undefined || pattern.test(o.name))
    )
  )

export interface ListedObject {
  readonly object: StoredObject
  /** Path relative to the stage root. */
  readonly relative: string
  /** LIST's name (`stage/dir/file.csv.gz` for named stages). */
  readonly name: string
}

const afterStage = (tokens: ReadonlyArray<StageToken>, index: number) => readOptions(tokens, index).options

const list = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv) =>
  Effect.gen(function* () {
    const ctx = env.context
    const target = tokens[1]
    if (target === undefined) return yield* Effect.fail(syntax("LIST needs a stage"))
    const stage = yield* resolveStage(deps, target.value, env)
    const options = afterStage(tokens, 2)
    const objects = yield* stageObjects(deps, stage, patternOf(textOption(options, "PATTERN")))
    return rowsResult(
      [textCol("name"), fixedCol("size"), textCol("md5"), textCol("last_modified")],
      objects.map((o) => [o.name, String(o.object.size), o.object.md5, o.object.lastModified.toUTCString()]),
      STATEMENT_TYPE_ID.query,
      ctx
    )
  })

const remove = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv) =>
  Effect.gen(function* () {
    const ctx = env.context
    const target = tokens[1]
    if (target === undefined) return yield* Effect.fail(syntax("REMOVE needs a stage"))
    const stage = yield* resolveStage(deps, target.value, env)
    const options = afterStage(tokens, 2)
    const objects = yield* stageObjects(deps, stage, patternOf(textOption(options, "PATTERN")))
    for (const o of objects) yield* deps.storage.remove(o.object.key).pipe(Effect.mapError(storageFailure))
    return rowsResult(
      [textCol("name"), textCol("result")],
      objects.map((o) => [o.name, "removed"]),
      STATEMENT_TYPE_ID.query,
      ctx
    )
  })

const put = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv) =>
  Effect.gen(function* () {
    const ctx = env.context
    const [, source, target] = tokens
    if (source === undefined || target === undefined)
      return yield* Effect.fail(syntax("PUT needs a file and a stage"))
    const stage = yield* resolveStage(deps, target.value, env)
    const options = afterStage(tokens, 3)
    const dir = stage.path === "" || stage.path.endsWith("/") ? stage.path : `${stage.path}/`
    const prefix = stage.root + dir
    const result: HookResult = {
      ...rowsResult([], [], 0x4a00, ctx),
      transfer: uploadData(
        {
          source: localPath(source.value),
          parallel: Number(textOption(options, "PARALLEL") ?? "4"),
          autoCompress: boolOption(options, "AUTO_COMPRESS", true),
          sourceCompression: (textOption(options, "SOURCE_COMPRESSION") ?? "auto_detect").toLowerCase(),
          overwrite: boolOption(options, "OVERWRITE", false)
        },
        deps.storage.stageInfo(prefix),
        deps.storage.encrypted ? stage.masterKey : undefined
      )
    }
    return result
  })

const get = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv) =>
  Effect.gen(function* () {
    const ctx = env.context
    const [, source, target] = tokens
    if (source === undefined || target === undefined)
      return yield* Effect.fail(syntax("GET needs a stage and a local directory"))
    const stage = yield* resolveStage(deps, source.value, env)
    const options = afterStage(tokens, 3)
    const objects = yield* stageObjects(deps, stage, patternOf(textOption(options, "PATTERN")))
    // files are named relative to the directory of the GET path (`GET @s/in` → `people.csv.gz`)
    const dir = stage.path.slice(0, stage.path.lastIndexOf("/") + 1)
    const base =
      stage.path !== "" && objects.some((o) => o.relative === stage.path)
        ? dir
        : stage.path.endsWith("/") || stage.path === ""
          ? stage.path
          : `${stage.path}/`
    const from = objects.every((o) => o.relative.startsWith(base)) ? base : dir
    const result: HookResult = {
      ...rowsResult([], [], 0x4b00, ctx),
      transfer: downloadData(
        objects.map((o) => o.relative.slice(from.length)),
        localPath(target.value),
        Number(textOption(options, "PARALLEL") ?? "10"),
        deps.storage.stageInfo(stage.root + from),
        deps.storage.encrypted ? stage.masterKey : undefined
      )
    }
    return result
  })

/** Skips OR REPLACE / TEMPORARY / IF [NOT] EXISTS; returns the flags and the index of the name. */
const modifiers = (tokens: ReadonlyArray<StageToken>, index: number) => {
  let i = index
  let orReplace = false
  let temporary = false
  let ifClause = false
  for (;;) {
    const w = upper(tokens[i])
    if (w === "OR" && upper(tokens[i + 1]) === "REPLACE") {
      orReplace = true
      i += 2
    } else if (w === "TEMP" || w === "TEMPORARY" || w === "VOLATILE") {
      temporary = true
      i++
    } else if (w === "IF" && upper(tokens[i + 1]) === "NOT" && upper(tokens[i + 2]) === "EXISTS") {
      ifClause = true
      i += 3
    } else if (w === "IF" && upper(tokens[i + 1]) === "EXISTS") {
      ifClause = true
      i += 2
    } else if (w === "STAGE") i++
    else return { i, orReplace, temporary, ifClause }
  }
}

const removeAll = (deps: StageDeps, root: string) =>
  deps.storage.list(root).pipe(
    Effect.flatMap((objects) =>
      Effect.forEach(objects, (o) => deps.storage.remove(o.key), { discard: true })
    ),
    Effect.mapError(storageFailure)
  )

const createStage = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv) =>
  Effect.gen(function* () {
    const ctx = env.context
    const mods = modifiers(tokens, 1)
    const nameToken = tokens[mods.i]
    const ref = nameToken === undefined ? undefined : parseStageRef(`@${nameToken.value}`)
    if (ref?.kind !== "named") return yield* Effect.fail(syntax("CREATE STAGE needs a name"))
    const [database, schema, name] = qualify(ref.parts, ctx)
    const key = namedKey(database, schema, name)
    const options: Options = readOptions(tokens, mods.i + 1).options
    const status = (text: string) => rowsResult([textCol("status")], [[text]], STATEMENT_TYPE_ID.ddl, ctx)
    // a temporary stage only meets the session's own temporary stage of that name
    const session = mods.temporary ? env.sessionId : undefined
    const existing = deps.catalog.get(key, session)
    if (existing !== undefined) {
      if (mods.ifClause) return status(`${name} already exists, statement succeeded.`)
      if (!mods.orReplace) return yield* Effect.fail(stageExists(name))
      yield* removeAll(deps, existing.root)
      deps.catalog.remove(key, existing)
    }
    const fileFormat = (yield* resolveFileFormat(deps, options.get("FILE_FORMAT"), env)) ?? new Map()
    deps.catalog.add(key, {
      database,
      schema,
      name,
      url: textOption(options, "URL") ?? "",
      fileFormat,
      comment: textOption(options, "COMMENT") ?? "",
      session,
      root: namedRoot(database, schema, name, session),
      createdOn: new Date()
    })
    return status(`Stage area ${name} successfully created.`)
  })

const dropStage = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv) =>
  Effect.gen(function* () {
    const ctx = env.context
    const mods = modifiers(tokens, 1)
    const nameToken = tokens[mods.i]
    const ref = nameToken === undefined ? undefined : parseStageRef(`@${nameToken.value}`)
    if (ref?.kind !== "named") return yield* Effect.fail(syntax("DROP STAGE needs a name"))
    const [database, schema, name] = qualify(ref.parts, ctx)
    const key = namedKey(database, schema, name)
    const status = (text: string) => rowsResult([textCol("status")], [[text]], STATEMENT_TYPE_ID.ddl, ctx)
    const existing = deps.catalog.find(key, env.sessionId)
    if (existing === undefined) {
      if (mods.ifClause) return status(`Drop statement executed successfully (${name} already dropped).`)
      return yield* Effect.fail(stageMissing(`${database}.${schema}.${name}`))
    }
    yield* removeAll(deps, existing.root)
    deps.catalog.remove(key, existing)
    return status(`${name} successfully dropped.`)
  })

/** A finished session's temporary stages go, with their files. */
export const endSession = (deps: StageDeps, session: string) =>
  Effect.forEach(deps.catalog.endSession(session), (stage) => removeAll(deps, stage.root), {
    discard: true
  }).pipe(Effect.ignore)

const showStages = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv) =>
  Effect.sync((): StatementResult => {
    const ctx = env.context
    const likeAt = tokens.findIndex((t) => upper(t) === "LIKE")
    const like = likeAt >= 0 ? tokens[likeAt + 1]?.value : undefined
    const likeRe = like === undefined ? undefined : likeRegExp(like)
    const inAccount = tokens.some((t, i) => upper(t) === "IN" && upper(tokens[i + 1]) === "ACCOUNT")
    const columns = [
      timestampCol("created_on"),
      ...[
        "name",
        "database_name",
        "schema_name",
        "url",
        "has_credentials",
        "has_encryption_key",
        "owner",
        "comment",
        "region",
        "type",
        "cloud",
        "notification_channel",
        "storage_integration",
        "endpoint",
        "owner_role_type",
        "directory_enabled"
      ].map(textCol)
    ]
    const rows = deps.catalog
      .visible(env.sessionId)
      .filter((s) => inAccount || (s.database === ctx.database && s.schema === ctx.schema))
      .filter((s) => likeRe === undefined || likeRe.test(s.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => [
        epochText(s.createdOn),
        s.name,
        s.database,
        s.schema,
        s.url,
        "N",
        "N",
        "SYSADMIN",
        s.comment,
        null,
        s.session === undefined ? "INTERNAL" : "INTERNAL TEMPORARY",
        null,
        null,
        null,
        null,
        "ROLE",
        "N"
      ])
    return rowsResult(columns, rows, STATEMENT_TYPE_ID.show, ctx)
  })

/** The statement's handler, or undefined when it is not a stage statement. */
export const stageStatement = (
  deps: StageDeps,
  tokens: ReadonlyArray<StageToken>,
  env: HookEnv
): Effect.Effect<HookResult, import("../engine/Engine.js").EngineError> | undefined => {
  const first = upper(tokens[0])
  switch (first) {
    case "PUT":
      return put(deps, tokens, env)
    case "GET":
      return get(deps, tokens, env)
    case "LIST":
    case "LS":
      return list(deps, tokens, env)
    case "REMOVE":
    case "RM":
      return remove(deps, tokens, env)
    case "CREATE":
    case "DROP": {
      const at = modifiers(tokens, 1)
      // modifiers() steps over STAGE among OR REPLACE / TEMPORARY / IF EXISTS
      if (!tokens.slice(1, at.i).some((t) => upper(t) === "STAGE")) return undefined
      return first === "CREATE" ? createStage(deps, tokens, env) : dropStage(deps, tokens, env)
    }
    case "SHOW":
      return upper(tokens[1]) === "STAGES" || (upper(tokens[1]) === "TERSE" && upper(tokens[2]) === "STAGES")
        ? showStages(deps, tokens, env)
        : undefined
    default:
      return undefined
  }
}
