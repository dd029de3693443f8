/**
 * Named file formats: `CREATE [OR REPLACE] [TEMPORARY] FILE FORMAT [IF NOT EXISTS] <name> <options>`,
 * `DROP FILE FORMAT [IF EXISTS] <name>`, `SHOW FILE FORMATS [LIKE '…']`, and what COPY INTO and
 * CREATE STAGE mean by `FILE_FORMAT = (FORMAT_NAME = <name>)` or `FILE_FORMAT = <name>`: that
 * format's options. A TEMPORARY format is its session's own: only that session sees it (it hides a
 * permanent one of the same name), and it goes with the session.
 */
import { Effect } from "effect"
import { STATEMENT_TYPE_ID } from "../engine/classify.js"
import type { EngineError, StatementResult } from "../engine/Engine.js"
import { likeRegExp } from "../engine/lexer.js"
import { namedKey, qualify } from "./catalog.js"
import { epochText, rowsResult, textCol, timestampCol } from "./columns.js"
import { fileFormatMissing, stageExists, syntax } from "./errors.js"
import type { HookEnv, StageDeps } from "./hook.js"
import {
  nameParts,
  type Options,
  type OptionValue,
  readOptions,
  type StageToken,
  textOption,
  upper
} from "./sqlText.js"

/** Where `FILE FORMAT` starts, after CREATE/DROP and their modifiers; -1 when it is not there. */
const fileFormatAt = (tokens: ReadonlyArray<StageToken>) => {
  for (let i = 1; i < tokens.length - 1; i++) {
    if (upper(tokens[i]) === "FILE" && upper(tokens[i + 1]) === "FORMAT") return i
    if (!["OR", "REPLACE", "TEMPORARY", "TEMP", "VOLATILE"].includes(upper(tokens[i]))) return -1
  }
  return -1
}

const qualified = (text: string, env: HookEnv) => qualify(nameParts(text), env.context)

const create = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv, at: number) =>
  Effect.gen(function* () {
    const orReplace = tokens.slice(1, at).some((t) => upper(t) === "REPLACE")
    const temporary = tokens.slice(1, at).some((t) => ["TEMPORARY", "TEMP", "VOLATILE"].includes(upper(t)))
    let i = at + 2
    const ifNotExists =
      upper(tokens[i]) === "IF" && upper(tokens[i + 1]) === "NOT" && upper(tokens[i + 2]) === "EXISTS"
    if (ifNotExists) i += 3
    const nameToken = tokens[i]
    if (nameToken === undefined) return yield* Effect.fail(syntax("CREATE FILE FORMAT needs a name"))
    const [database, schema, name] = qualified(nameToken.value, env)
    const key = namedKey(database, schema, name)
    const options = readOptions(tokens, i + 1).options
    const status = (text: string) =>
      rowsResult([textCol("status")], [[text]], STATEMENT_TYPE_ID.ddl, env.context)
    const session = temporary ? env.sessionId : undefined
    const existing = deps.catalog.getFormat(key, session)
    if (existing !== undefined && !orReplace) {
      if (ifNotExists) return status(`${name} already exists, statement succeeded.`)
      return yield* Effect.fail(stageExists(name))
    }
    const type = (textOption(options, "TYPE") ?? "CSV").toUpperCase()
    const formatOptions = new Map(options)
    formatOptions.set("TYPE", { kind: "text", value: type, quoted: false })
    formatOptions.delete("COMMENT")
    deps.catalog.addFormat(
      key,
      {
        database,
        schema,
        name,
        options: formatOptions,
        comment: textOption(options, "COMMENT") ?? "",
        createdOn: new Date(),
        session
      },
      session
    )
    return status(`File format ${name} successfully created.`)
  })

const drop = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv, at: number) =>
  Effect.gen(function* () {
    let i = at + 2
    const ifExists = upper(tokens[i]) === "IF" && upper(tokens[i + 1]) === "EXISTS"
    if (ifExists) i += 2
    const nameToken = tokens[i]
    if (nameToken === undefined) return yield* Effect.fail(syntax("DROP FILE FORMAT needs a name"))
    const [database, schema, name] = qualified(nameToken.value, env)
    const status = (text: string) =>
      rowsResult([textCol("status")], [[text]], STATEMENT_TYPE_ID.ddl, env.context)
    if (!deps.catalog.removeFormat(namedKey(database, schema, name), env.sessionId)) {
      if (ifExists) return status(`Drop statement executed successfully (${name} already dropped).`)
      return yield* Effect.fail(fileFormatMissing(`${database}.${schema}.${name}`))
    }
    return status(`${name} successfully dropped.`)
  })

/** An option value as Snowflake's format_options JSON shows it. */
const optionJson = (value: OptionValue): unknown =>
  value.kind === "text"
    ? value.value
    : value.kind === "list"
      ? value.items.map(optionJson)
      : Object.fromEntries([...value.options].map(([k, v]) => [k, optionJson(v)]))

const show = (deps: StageDeps, tokens: ReadonlyArray<StageToken>, env: HookEnv) =>
  Effect.sync((): StatementResult => {
    const likeAt = tokens.findIndex((t) => upper(t) === "LIKE")
    const like = likeAt >= 0 ? tokens[likeAt + 1]?.value : undefined
    const likeRe = like === undefined ? undefined : likeRegExp(like)
    const formats = deps.catalog
      .visibleFormats(env.sessionId)
      .filter((f) => likeRe === undefined || likeRe.test(f.name))
      .sort((a, b) => a.name.localeCompare(b.name))
    const columns = [
      timestampCol("created_on"),
      ...["name", "database_name", "schema_name", "type", "owner", "comment", "format_options"].map(textCol)
    ]
    const rows = formats.map((f) => [
      epochText(f.createdOn),
      f.name,
      f.database,
      f.schema,
      textOption(f.options, "TYPE") ?? "CSV",
      env.context.role ?? "SYSADMIN",
      f.comment,
      JSON.stringify(Object.fromEntries([...f.options].map(([k, v]) => [k, optionJson(v)])))
    ])
    return rowsResult(columns, rows, STATEMENT_TYPE_ID.show, env.context)
  })

/** CREATE / DROP FILE FORMAT and SHOW FILE FORMATS; undefined for any other statement. */
export const fileFormatStatement = (
  deps: StageDeps,
  tokens: ReadonlyArray<StageToken>,
  env: HookEnv
): Effect.Effect<StatementResult, EngineError> | undefined => {
  const first = upper(tokens[0])
  if (first === "SHOW")
    return upper(tokens[1]) === "FILE" && upper(tokens[2]) === "FORMATS" ? show(deps, tokens, env) : undefined
  if (first !== "CREATE" && first !== "DROP") return undefined
  const at = fileFormatAt(tokens)
  if (at < 0) return undefined
  return first === "CREATE" ? create(deps, tokens, env, at) : drop(deps, tokens, env, at)
}

/**
 * A `FILE_FORMAT = …` option's format: inline options as they are, or a named format's options
 * (`FILE_FORMAT = (FORMAT_NAME = name)` or `FILE_FORMAT = name`), which must exist.
 */
export const resolveFileFormat = (
  deps: StageDeps,
  value: OptionValue | undefined,
  env: HookEnv
): Effect.Effect<Options | undefined, EngineError> => {
  if (value === undefined || value.kind === "list") return Effect.succeed(undefined)
  const name = value.kind === "text" ? value.value : textOption(value.options, "FORMAT_NAME")
  if (name === undefined) return Effect.succeed(value.kind === "options" ? value.options : undefined)
  const [database, schema, formatName] = qualified(name, env)
  const found = deps.catalog.findFormat(namedKey(database, schema, formatName), env.sessionId)
  return found === undefined
    ? Effect.fail(fileFormatMissing(`${database}.${schema}.${formatName}`))
    : Effect.succeed(found.options)
}
