/** Maps method + path to a route (the fault matchers' vocabulary) and its path parameters. */
import type { FaultRoute } from "./faults.js"

export type Route =
  | { readonly name: "login" }
  | { readonly name: "renew" }
  | { readonly name: "heartbeat" }
  | { readonly name: "logout" }
  | { readonly name: "telemetry" }
  | { readonly name: "query" }
  | { readonly name: "abort"; readonly queryId: string | undefined }
  | { readonly name: "result"; readonly queryId: string }
  | { readonly name: "monitoring"; readonly queryId: string }
  | { readonly name: "chunk"; readonly queryId: string; readonly index: number }
  | { readonly name: "admin" }
  | { readonly name: "notFound" }

export const faultRouteOf = (route: Route): FaultRoute | undefined =>
  route.name === "admin" || route.name === "notFound" ? undefined : route.name

export const classify = (method: string, path: string): Route => {
  const segments = path.split("/").filter((s) => s.length > 0)
  const at = (i: number) => decodeURIComponent(segments[i] ?? "")
  if (method === "POST") {
    switch (path) {
      case "/session/v1/login-request":
        return { name: "login" }
      case "/session/token-request":
        return { name: "renew" }
      case "/session/heartbeat":
        return { name: "heartbeat" }
      case "/session":
        return { name: "logout" }
      case "/telemetry/send":
        return { name: "telemetry" }
      case "/queries/v1/query-request":
        return { name: "query" }
      case "/queries/v1/abort-request":
        return { name: "abort", queryId: undefined }
    }
    if (segments.length === 3 && segments[0] === "queries" && segments[2] === "abort-request") {
      return { name: "abort", queryId: at(1) }
    }
  }
  if (method === "GET") {
    if (segments.length === 3 && segments[0] === "queries" && segments[2] === "result") {
      return { name: "result", queryId: at(1) }
    }
    if (segments.length === 3 && segments[0] === "monitoring" && segments[1] === "queries") {
      return { name: "monitoring", queryId: at(2) }
    }
    if (segments.length === 3 && segments[0] === "chunks" && /^\d+$/.test(segments[2]!)) {
      return { name: "chunk", queryId: at(1), index: Number(segments[2]) }
    }
  }
  if (path === "/__emulator/faults") return { name: "admin" }
  return { name: "notFound" }
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const isQueryId = (id: string) => uuidShape.test(id)
