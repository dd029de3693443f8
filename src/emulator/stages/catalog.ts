/**
 * What the emulator knows about stages that DuckDB does not: named stages (with their file
 * format and comment), one master key per stage (user, table or named; AES-128 as Snowflake's
 * stages use), and per-table load history so COPY INTO does not load a file twice.
 */
import { randomBytes } from "node:crypto"
import type { SessionContext } from "../engine/Engine.js"
import type { Options, StageRef } from "./sqlText.js"

export interface NamedStage {
  readonly database: string
  readonly schema: string
  readonly name: string
  readonly url: string
  readonly fileFormat: Options
  readonly comment: string
  readonly temporary: boolean
  readonly createdOn: Date
}

export interface LoadRecord {
  readonly md5: string
  readonly rows: number
  readonly loadedAt: Date
}

/** A stage reference resolved against the session: where its files are and how LIST names them. */
export interface ResolvedStage {
  /** Storage key prefix of the stage root, ending in `/`. */
  readonly root: string
  /** Path inside the stage given in the statement (`dir/` or `dir/file.csv`), no leading `/`. */
  readonly path: string
  /** LIST's name prefix: `stage_name/` for named stages, "" for user and table stages. */
  readonly listPrefix: string
  readonly masterKey: Buffer
  readonly named: NamedStage | undefined
}

export class StageCatalog {
  readonly named = new Map<string, NamedStage>()
  private readonly keys = new Map<string, Buffer>()
  private readonly history = new Map<string, Map<string, LoadRecord>>()

  /** The stage's master key, created on first use. */
  masterKey(root: string): Buffer {
    let key = this.keys.get(root)
    if (key === undefined) {
      key = randomBytes(16)
      this.keys.set(root, key)
    }
    return key
  }

  forgetKey(root: string) {
    this.keys.delete(root)
  }

  loads(table: string): Map<string, LoadRecord> {
    let loads = this.history.get(table)
    if (loads === undefined) {
      loads = new Map()
      this.history.set(table, loads)
    }
    return loads
  }

  dropHistory(table: string) {
    this.history.delete(table)
  }
}

export const enc = (part: string) => encodeURIComponent(part)

export const qualify = (parts: ReadonlyArray<string>, ctx: SessionContext): [string, string, string] => {
  const name = parts[parts.length - 1] as string
  const schema = parts.length >= 2 ? (parts[parts.length - 2] as string) : (ctx.schema ?? "PUBLIC")
  const database = parts.length >= 3 ? (parts[0] as string) : (ctx.database ?? "EMULATOR")
  return [database, schema, name]
}

export const namedKey = (database: string, schema: string, name: string) => `${database}.${schema}.${name}`

export const stageRoot = (ref: StageRef, ctx: SessionContext): string => {
  switch (ref.kind) {
    case "user":
      return `users/${enc(ctx.user)}/`
    case "table": {
      const [d, s, t] = qualify(ref.parts, ctx)
      return `tables/${enc(d)}/${enc(s)}/${enc(t)}/`
    }
    case "named": {
      const [d, s, n] = qualify(ref.parts, ctx)
      return `stages/${enc(d)}/${enc(s)}/${enc(n)}/`
    }
  }
}
