/**
 * Session parameters. The drivers decode results with the `parameters` list of each query response
 * (not the login one, PROTOCOL.md §16.2), so every response carries the full format set, with the
 * session's own values (login SESSION_PARAMETERS, ALTER SESSION SET) laid over the defaults.
 */

export type ParameterValue = string | number | boolean

/** The list a real server sends (taken from a wiremock capture), in its order. */
export const defaultParameters: ReadonlyArray<readonly [string, ParameterValue]> = [
  ["TIMESTAMP_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM"],
  ["CLIENT_PREFETCH_THREADS", 4],
  ["TIME_OUTPUT_FORMAT", "HH24:MI:SS"],
  ["CLIENT_RESULT_CHUNK_SIZE", 16],
  ["TIMESTAMP_TZ_OUTPUT_FORMAT", ""],
  ["CLIENT_SESSION_KEEP_ALIVE", false],
  ["QUERY_CONTEXT_CACHE_SIZE", 5],
  ["CLIENT_METADATA_USE_SESSION_DATABASE", false],
  ["CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED", false],
  ["TIMESTAMP_NTZ_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3"],
  ["CLIENT_RESULT_PREFETCH_THREADS", 1],
  ["CLIENT_METADATA_REQUEST_USE_CONNECTION_CTX", false],
  ["CLIENT_HONOR_CLIENT_TZ_FOR_TIMESTAMP_NTZ", true],
  ["CLIENT_MEMORY_LIMIT", 1536],
  ["CLIENT_TIMESTAMP_TYPE_MAPPING", "TIMESTAMP_LTZ"],
  ["TIMEZONE", "America/Los_Angeles"],
  ["SERVICE_NAME", ""],
  ["CLIENT_RESULT_PREFETCH_SLOTS", 2],
  ["CLIENT_TELEMETRY_ENABLED", true],
  ["CLIENT_DISABLE_INCIDENTS", true],
  ["CLIENT_USE_V1_QUERY_API", true],
  ["CLIENT_RESULT_COLUMN_CASE_INSENSITIVE", false],
  ["CSV_TIMESTAMP_FORMAT", ""],
  ["BINARY_OUTPUT_FORMAT", "HEX"],
  ["CLIENT_ENABLE_LOG_INFO_STATEMENT_PARAMETERS", false],
  ["CLIENT_TELEMETRY_SESSIONLESS_ENABLED", true],
  ["DATE_OUTPUT_FORMAT", "YYYY-MM-DD"],
  ["CLIENT_STAGE_ARRAY_BINDING_THRESHOLD", 65280],
  ["CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", 3600],
  ["CLIENT_SESSION_CLONE", false],
  ["AUTOCOMMIT", true],
  ["TIMESTAMP_LTZ_OUTPUT_FORMAT", ""]
]

const defaultNames = new Set(defaultParameters.map(([name]) => name))

/** Session values that are echoed although they are not in the default list. */
const echoedExtras = ["JS_TREAT_INTEGER_AS_BIGINT", "MULTI_STATEMENT_COUNT", "QUERY_TAG"]

/** The `parameters` array of a login or query response. */
export const responseParameters = (
  session: ReadonlyMap<string, ParameterValue>
): ReadonlyArray<{ readonly name: string; readonly value: ParameterValue }> => {
  const list = defaultParameters.map(([name, value]) => ({ name, value: session.get(name) ?? value }))
  for (const name of echoedExtras) {
    const value = session.get(name)
    if (value !== undefined && !defaultNames.has(name)) list.push({ name, value })
  }
  return list
}

/** Parses a SQL literal of ALTER SESSION SET: quoted string, number, TRUE/FALSE. */
export const parseParameterLiteral = (text: string): ParameterValue => {
  const trimmed = text.trim()
  const quoted = /^'((?:[^']|'')*)'$/.exec(trimmed)
  if (quoted) return quoted[1]!.replaceAll("''", "'")
  if (/^true$/i.test(trimmed)) return true
  if (/^false$/i.test(trimmed)) return false
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed)
  return trimmed
}

/** Normalises a value that came in JSON (login SESSION_PARAMETERS, per-request parameters). */
export const fromJson = (value: unknown): ParameterValue | undefined =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : undefined

export type AlterSession =
  | { readonly _tag: "Set"; readonly values: ReadonlyArray<readonly [string, ParameterValue]> }
  | { readonly _tag: "Unset"; readonly names: ReadonlyArray<string> }

/**
 * Recognises `ALTER SESSION SET A = x, B = 'y'` and `ALTER SESSION UNSET A, B`. The server owns
 * session parameters, so these never reach the engine.
 */
export const parseAlterSession = (sql: string): AlterSession | undefined => {
  const text = sql.trim().replace(/;\s*$/, "")
  const set = /^alter\s+session\s+set\s+([\s\S]+)$/i.exec(text)
  if (set) {
    const values: Array<readonly [string, ParameterValue]> = []
    const assignment = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^']|'')*'|[^,\s]+)\s*(,|$)/gy
    const body = set[1]!
    for (let match = assignment.exec(body); match !== null; match = assignment.exec(body)) {
      values.push([match[1]!.toUpperCase(), parseParameterLiteral(match[2]!)])
      if (match[3] === "") break
    }
    if (values.length === 0) return undefined
    return { _tag: "Set", values }
  }
  const unset = /^alter\s+session\s+unset\s+([\s\S]+)$/i.exec(text)
  if (unset) {
    const names = unset[1]!
      .split(",")
      .map((n) => n.trim().toUpperCase())
      .filter((n) => n.length > 0)
    return { _tag: "Unset", names }
  }
  return undefined
}
