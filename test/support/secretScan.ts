/**
 * Vitest setup file: after every test (and after each file, for errors made outside a test) every
 * Error the process created is rendered four ways — String, JSON.stringify, util.inspect with
 * depth null, Cause.pretty — and each rendering is searched for the known test secrets
 * (test/support/secrets.ts). A hit fails the test, naming the error, the rendering and the secret
 * (by label: the value is not repeated in the report).
 *
 * errorRecorder.ts is the setup file before this one (vitest.config.ts), so it has patched Error before
 * this file imports Effect: see there for why, and for what it cannot see.
 */
import { inspect } from "node:util"
import * as Cause from "effect/Cause"
import { afterAll, afterEach } from "vitest"
import { drainRecordedErrors, UnrecordedError } from "./errorRecorder.js"
import { knownSecrets, secretShapes } from "./secrets.js"

const safely = (render: () => string): string => {
  try {
    return render()
  } catch {
    return ""
  }
}

const bigintSafe = (_: string, v: unknown) => (typeof v === "bigint" ? String(v) : v)

/** Own data beyond message/stack: only then can JSON, inspect or Cause.pretty show more than String. */
const carriesMore = (error: Error) =>
  Object.keys(error).some((k) => k !== "stack" && k !== "message") ||
  (error as { cause?: unknown }).cause !== undefined

const renderings = (error: Error): ReadonlyArray<readonly [string, string]> => {
  const plain: Array<readonly [string, string]> = [["String", safely(() => String(error))]]
  if (!carriesMore(error)) return plain
  return [
    ...plain,
    ["JSON.stringify", safely(() => JSON.stringify(error, bigintSafe) ?? "")],
    ["util.inspect", safely(() => inspect(error, { depth: null }))],
    ["Cause.pretty", safely(() => Cause.pretty(Cause.fail(error)))]
  ]
}

const describeError = (error: Error) => {
  const tag = (error as { _tag?: unknown })._tag
  const name = typeof tag === "string" ? tag : error.name
  const message = safely(() => String(error.message)).slice(0, 120)
  return `${name} ("${message}")`
}

/** Where in the JSON rendering the text sits (`cause.request.body`), so a report points at the field. */
const jsonPathOf = (json: string, needle: (text: string) => boolean): string | undefined => {
  const walk = (value: unknown, path: string): string | undefined => {
    if (typeof value === "string") return needle(value) ? path || "(root)" : undefined
    if (typeof value !== "object" || value === null) return undefined
    for (const [key, child] of Object.entries(value)) {
      const found = walk(child, path === "" ? key : `${path}.${key}`)
      if (found !== undefined) return found
    }
    return undefined
  }
  return safely(() => walk(JSON.parse(json), "") ?? "") || undefined
}

/**
 * @effect/platform's own HttpClient errors carry the whole request (Authorization header, login
 * body) and render it in clear outside a fiber: the library cannot stop the HTTP client from making
 * them. The Transport maps each one to a typed error whose cause keeps only method, path and the
 * network failure (errors/HttpFailure.ts) and drops it, so it never reaches a caller. They are
 * skipped here as top-level errors only: any error that still held one as a cause would be rendered
 * with it and fail the scan.
 */
const HTTP_CLIENT_ERROR = Symbol.for("@effect/platform/HttpClientError")
const isHttpLibraryError = (error: Error) => HTTP_CLIENT_ERROR in error

/** Every leak among the errors created since the last scan, one line each. */
export const scanRecordedErrors = (): ReadonlyArray<string> => {
  const secrets = knownSecrets()
  const leaks: Array<string> = []
  for (const error of drainRecordedErrors()) {
    if (isHttpLibraryError(error)) continue
    for (const [how, text] of renderings(error)) {
      if (text.length === 0) continue
      const secret = secrets.find((s) => text.includes(s.value))
      const shape = secret === undefined ? secretShapes.find((s) => s.pattern.test(text)) : undefined
      const label = secret?.label ?? shape?.label
      if (label !== undefined) {
        const matches = (t: string) =>
          secret !== undefined ? t.includes(secret.value) : shape!.pattern.test(t)
        const at = how === "JSON.stringify" ? jsonPathOf(text, matches) : undefined
        leaks.push(
          `${describeError(error)}: ${how}(error) contains ${label}${at === undefined ? "" : ` at ${at}`}`
        )
        break
      }
    }
  }
  // Rendering makes errors of its own (Cause.pretty wraps non-Error causes): not the suite's.
  drainRecordedErrors()
  return leaks
}

const report = (where: string, leaks: ReadonlyArray<string>) => {
  if (leaks.length === 0) return
  const unique = [...new Set(leaks)]
  const failure = new UnrecordedError(
    `secret scan (${where}): ${unique.length} error(s) carry a test secret:\n  ${unique.join("\n  ")}`
  )
  drainRecordedErrors()
  throw failure
}

afterEach((context) => report(`test "${context.task.name}"`, scanRecordedErrors()))
afterAll(() => report("outside any test of this file", scanRecordedErrors()))
