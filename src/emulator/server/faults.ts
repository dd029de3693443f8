/**
 * Fault injection, per emulator instance: tests arm a rule, the next matching requests misbehave
 * in the asked way, then the rule is used up. Rules are consulted in the order they were added.
 */
import { Effect, Ref } from "effect"

/** Which requests a rule applies to. */
export type FaultRoute =
  | "login"
  | "query"
  | "result"
  | "monitoring"
  | "chunk"
  | "abort"
  | "renew"
  | "heartbeat"
  | "logout"
  | "telemetry"
  | "any"

export const faultRoutes: ReadonlyArray<FaultRoute> = [
  "login",
  "query",
  "result",
  "monitoring",
  "chunk",
  "abort",
  "renew",
  "heartbeat",
  "logout",
  "telemetry",
  "any"
]

export type FaultKind =
  /** Answer with this HTTP status (429, 503, 500, …) and an optional Retry-After (seconds). */
  | { readonly _tag: "status"; readonly status: number; readonly retryAfterSeconds?: number }
  /** Destroy the socket without answering; the request is not processed. */
  | { readonly _tag: "drop" }
  /** Hold the request this long, then process it normally. */
  | { readonly _tag: "delay"; readonly millis: number }
  /** Process the request, send half of the body (announcing all of it), then cut the connection. */
  | { readonly _tag: "truncate" }
  /** Expire the caller's session token first, so the request is answered 390112. */
  | { readonly _tag: "expireSession" }
  /** Process the request (a query runs and is stored), then cut the connection without answering. */
  | { readonly _tag: "dropAfterExecute" }

export interface FaultRule {
  readonly route: FaultRoute
  /** How many matching requests this rule affects; defaults to 1. */
  readonly times?: number
  readonly kind: FaultKind
}

interface ArmedRule {
  readonly route: FaultRoute
  readonly kind: FaultKind
  readonly remaining: number
}

export interface Faults {
  readonly inject: (rule: FaultRule) => Effect.Effect<void>
  readonly clear: Effect.Effect<void>
  /** Consumes one use of the first rule matching `route`, if any. */
  readonly take: (route: FaultRoute) => Effect.Effect<FaultKind | undefined>
  /** Rules still armed (for assertions and the admin endpoint). */
  readonly pending: Effect.Effect<ReadonlyArray<FaultRule>>
}

export const makeFaults: Effect.Effect<Faults> = Effect.map(
  Ref.make<ReadonlyArray<ArmedRule>>([]),
  (rules): Faults => ({
    inject: (rule) =>
      Ref.update(rules, (all) => [
        ...all,
        { route: rule.route, kind: rule.kind, remaining: Math.max(1, rule.times ?? 1) }
      ]),
    clear: Ref.set(rules, []),
    take: (route) =>
      Ref.modify(rules, (all) => {
        const index = all.findIndex((r) => r.route === "any" || r.route === route)
        if (index < 0) return [undefined, all]
        const rule = all[index]!
        const next =
          rule.remaining > 1
            ? all.map((r, i) => (i === index ? { ...r, remaining: r.remaining - 1 } : r))
            : all.filter((_, i) => i !== index)
        return [rule.kind, next]
      }),
    pending: Effect.map(Ref.get(rules), (all) =>
      all.map((r) => ({ route: r.route, times: r.remaining, kind: r.kind }))
    )
  })
)

/** Decodes a rule from the admin endpoint's JSON body; undefined when it is not a valid rule. */
export const ruleFromJson = (body: unknown): FaultRule | undefined => {
  if (typeof body !== "object" || body === null) return undefined
  const b = body as Record<string, unknown>
  const route = (b.route ?? "any") as FaultRoute
  if (!faultRoutes.includes(route)) return undefined
  const times = typeof b.times === "number" ? b.times : 1
  const kindName = typeof b.kind === "string" ? b.kind : undefined
  let kind: FaultKind
  switch (kindName) {
    case "status":
      if (typeof b.status !== "number") return undefined
      kind =
        typeof b.retryAfterSeconds === "number"
          ? { _tag: "status", status: b.status, retryAfterSeconds: b.retryAfterSeconds }
          : { _tag: "status", status: b.status }
      break
    case "delay":
      kind = { _tag: "delay", millis: typeof b.millis === "number" ? b.millis : 1000 }
      break
    case "drop":
    case "truncate":
    case "expireSession":
    case "dropAfterExecute":
      kind = { _tag: kindName }
      break
    default:
      return undefined
  }
  return { route, times, kind }
}
