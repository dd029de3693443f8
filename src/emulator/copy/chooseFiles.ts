/**
 * Which of a stage's files a COPY INTO loads: those FILES names, or those PATTERN matches, or all
 * under the stage path; not those already loaded into the table (load history, unless FORCE, or
 * RETURN_ALL_ERRORS reading again a file loaded in part); while SIZE_LIMIT allows.
 */
import { Effect } from "effect"
import type { EngineError } from "../engine/Engine.js"
import type { LoadRecord, ResolvedStage } from "../stages/catalog.js"
import type { StageDeps } from "../stages/hook.js"
import { listOption, type Options, textOption } from "../stages/sqlText.js"
import { type ListedObject, patternOf, stageObjects } from "../stages/statements.js"
import type { ValidationMode } from "./validation.js"

/**
 * SIZE_LIMIT: files are taken in order while the bytes taken so far are below the limit — the file
 * that crosses it is still loaded, and so is the first file whatever its size (Snowflake's rule).
 */
const withinSizeLimit = (limit: number) => {
  let taken = 0
  return (o: { readonly object: { readonly size: number } }): boolean => {
    if (!(taken < limit)) return false
    taken += o.object.size
    return true
  }
}

export const chooseFiles = (
  deps: StageDeps,
  stage: ResolvedStage,
  options: Options,
  history: ReadonlyMap<string, LoadRecord>,
  validation: ValidationMode | undefined
): Effect.Effect<Array<ListedObject>, EngineError> =>
  Effect.gen(function* () {
    const files = listOption(options, "FILES")
    const base = stage.path === "" || stage.path.endsWith("/") ? stage.path : `${stage.path}/`
    const pattern = patternOf(textOption(options, "PATTERN"))
    const force = (textOption(options, "FORCE") ?? "FALSE").toUpperCase() === "TRUE"
    const sizeLimit = Number(textOption(options, "SIZE_LIMIT") ?? Number.POSITIVE_INFINITY)
    const all = yield* stageObjects(deps, { ...stage, listPrefix: "" }, undefined)
    return all
      .filter((o) => {
        if (files !== undefined)
          return files.some((f) => o.relative === `${base}${f.replace(/^\/+/, "")}` || o.relative === f)
        if (pattern !== undefined)
          return pattern.test(o.relative) || pattern.test(o.relative.slice(base.length))
        return true
      })
      .filter((o) => {
        const loaded = history.get(o.object.key)
        // RETURN_ALL_ERRORS reads again the files an ON_ERROR = CONTINUE load took in part
        const again = validation?._tag === "Errors" && validation.all && loaded?.partial === true
        return force || again || loaded?.md5 !== o.object.md5
      })
      .filter(withinSizeLimit(sizeLimit))
      .map((o) => ({ ...o, name: stage.listPrefix + o.relative }))
  })
