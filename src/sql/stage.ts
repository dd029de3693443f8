/**
 * Stage references in SQL text (`@name`, `@db.schema.name/path/`, `@%table`, `@~/path`). A stage
 * reference cannot be a bind parameter, so it is checked and, where its path needs it, quoted:
 * nothing can ride along into the statement.
 */
import * as Either from "effect/Either"
import { FileFormatError } from "../errors/index.js"
import { literal, nameParts, quoteIdentifier } from "./identifier.js"

/** One name part, bare or quoted. */
const part = `(?:[A-Za-z_][A-Za-z0-9_$]*|"[^"';]+")`
/** `@~`, `@[db.][schema.]name` or a table stage `@[db.][schema.]%table`. */
const stageName = new RegExp(`^@(~|(?:${part}\\.){0,2}%?${part})`)
/** A path that can stand in SQL text as it is. */
const barePath = /^(\/[A-Za-z0-9_$.=\-/%+@]*)?$/

/**
 * A stage reference as SQL. `@…` is checked as it is; a bare name is quoted where needed and
 * gets the `@`. The name must be a stage's; a path of plain characters goes as it is, any other
 * path (spaces, letters beyond ASCII, quotes, `--`) makes the whole reference a quoted literal
 * (`'@landing/a b/'`), as Snowflake asks for such paths — so nothing rides along into the
 * statement either way. Control characters are refused.
 */
export const stageReference = (stage: string): Either.Either<string, FileFormatError> => {
  const text = stage.startsWith("@") ? stage : `@${quoteIdentifier(stage)}`
  const name = stageName.exec(text)?.[0]
  const path = name === undefined ? "" : text.slice(name.length)
  const invalid = () =>
    Either.left(new FileFormatError({ message: `Not a valid stage reference: ${JSON.stringify(stage)}` }))
  if (name === undefined || [...text].some((c) => c.charCodeAt(0) < 0x20)) return invalid()
  if (barePath.test(path) && !text.includes("--") && !text.includes("/*")) return Either.right(text)
  return path.startsWith("/") ? Either.right(literal(text)) : invalid()
}

/** The table stage of a table (a name as `nameParts` reads it): `@%name` (or `@db.schema.%name`). */
export const tableStage = (table: string | ReadonlyArray<string>): string => {
  const parts = [...nameParts(table)]
  const last = parts.pop() ?? ""
  return `@${parts.map((p) => `${p}.`).join("")}%${last}`
}
