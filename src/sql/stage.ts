/**
 * Stage references in SQL text (`@name`, `@db.schema.name/path/`, `@%table`, `@~/path`). A stage
 * reference cannot be a bind parameter, so it is checked instead: no whitespace, quotes,
 * semicolons or comment markers can ride along into the statement.
 */
import * as Either from "effect/Either"
import { FileFormatError } from "../errors/index.js"
import { nameParts, quoteIdentifier } from "./identifier.js"

/** One name part, bare or quoted. */
const part = `(?:[A-Za-z_][A-Za-z0-9_$]*|"[^"';]+")`
/** `@~`, `@[db.][schema.]name` or a table stage `@[db.][schema.]%table`, then an optional path. */
const safeStage = new RegExp(String.raw`^@(~|(?:${part}\.){0,2}%?${part})(\/[A-Za-z0-9_$.=\-/%+@]*)?$`)

/**
 * A stage reference as SQL. `@…` is checked as it is; a bare name is quoted where needed and
 * gets the `@`.
 */
export const stageReference = (stage: string): Either.Either<string, FileFormatError> => {
  const text = stage.startsWith("@") ? stage : `@${quoteIdentifier(stage)}`
  return safeStage.test(text) && !text.includes("--") && !text.includes("/*")
    ? Either.right(text)
    : Either.left(new FileFormatError({ message: `Not a valid stage reference: ${JSON.stringify(stage)}` }))
}

/** The table stage of a table (a name as `nameParts` reads it): `@%name` (or `@db.schema.%name`). */
export const tableStage = (table: string | ReadonlyArray<string>): string => {
  const parts = [...nameParts(table)]
  const last = parts.pop() ?? ""
  return `@${parts.map((p) => `${p}.`).join("")}%${last}`
}
