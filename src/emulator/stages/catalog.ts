/**
 * What the emulator knows about stages that DuckDB does not: named stages (with their file
 * format and comment), named file formats, one master key per stage (user, table or named; AES-128 as Snowflake's
 * stages use), and per-table load history so COPY INTO does not load a file twice.
 *
 * A TEMPORARY stage belongs to the session that created it, as in Snowflake: only that session
 * sees it (it hides a permanent stage of the same name), its files live under their own root
 * (`temp/<session>/…`), and it goes when the session ends. snowflake-sdk relies on this: every
 * connection runs `CREATE OR REPLACE TEMPORARY STAGE SYSTEM$BIND` before its first stage bind, and
 * that must not wipe another connection's bind files. A TEMPORARY file format is likewise its
 * session's own.
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
  /** The session a TEMPORARY stage belongs to; undefined for a permanent stage. */
  readonly session: string | undefined
  /** Storage key prefix of its files, ending in `/`. */
  readonly root: string
  readonly createdOn: Date
}

/** A named file format (CREATE FILE FORMAT): its options, as COPY INTO and CREATE STAGE take them. */
export interface NamedFileFormat {
  readonly database: string
  readonly schema: string
  readonly name: string
  readonly options: Options
  readonly comment: string
  readonly createdOn: Date
  /** The session a TEMPORARY format belongs to; undefined for a permanent one. */
  readonly session: string | undefined
}

export interface LoadRecord {
  readonly md5: string
  readonly rows: number
  readonly loadedAt: Date
  /** Loaded in part (ON_ERROR = CONTINUE skipped records): VALIDATION_MODE = RETURN_ALL_ERRORS reads it again. */
  readonly partial: boolean
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
  private readonly permanent = new Map<string, NamedStage>()
  /** Session id → its temporary stages. */
  private readonly temporary = new Map<string, Map<string, NamedStage>>()
  private readonly keys = new Map<string, Buffer>()
  private readonly history = new Map<string, Map<string, LoadRecord>>()
  /** Named file formats by `database.schema.name`. */
  private readonly formats = new Map<string, NamedFileFormat>()
  /** Session id → its temporary file formats (they hide permanent ones of the same name). */
  private readonly temporaryFormats = new Map<string, Map<string, NamedFileFormat>>()

  /** The file format `key` as `session` sees it: its own temporary format first. */
  findFormat(key: string, session: string): NamedFileFormat | undefined {
    return this.temporaryFormats.get(session)?.get(key) ?? this.formats.get(key)
  }

  /** Exactly the session's temporary format `key` (session given) or the permanent one. */
  getFormat(key: string, session: string | undefined): NamedFileFormat | undefined {
    return session === undefined ? this.formats.get(key) : this.temporaryFormats.get(session)?.get(key)
  }

  /** Adds a permanent format, or a temporary one of `session`. */
  addFormat(key: string, format: NamedFileFormat, session: string | undefined) {
    if (session === undefined) {
      this.formats.set(key, format)
      return
    }
    let own = this.temporaryFormats.get(session)
    if (own === undefined) {
      own = new Map()
      this.temporaryFormats.set(session, own)
    }
    own.set(key, format)
  }

  /** Drops the format `session` sees as `key` (its temporary one first); false when there is none. */
  removeFormat(key: string, session: string): boolean {
    return this.temporaryFormats.get(session)?.delete(key) === true || this.formats.delete(key)
  }

  /** The formats `session` sees (SHOW FILE FORMATS). */
  visibleFormats(session: string): Array<NamedFileFormat> {
    const own = this.temporaryFormats.get(session) ?? new Map<string, NamedFileFormat>()
    return [...own.values(), ...[...this.formats].filter(([key]) => !own.has(key)).map(([, f]) => f)]
  }

  /** The named stage `key` as `session` sees it: its own temporary stage first. */
  find(key: string, session: string): NamedStage | undefined {
    return this.temporary.get(session)?.get(key) ?? this.permanent.get(key)
  }

  /** Exactly the session's temporary stage `key` (session given) or the permanent one. */
  get(key: string, session: string | undefined): NamedStage | undefined {
    return session === undefined ? this.permanent.get(key) : this.temporary.get(session)?.get(key)
  }

  add(key: string, stage: NamedStage) {
    if (stage.session === undefined) {
      this.permanent.set(key, stage)
      return
    }
    let own = this.temporary.get(stage.session)
    if (own === undefined) {
      own = new Map()
      this.temporary.set(stage.session, own)
    }
    own.set(key, stage)
  }

  remove(key: string, stage: NamedStage) {
    if (stage.session === undefined) this.permanent.delete(key)
    else this.temporary.get(stage.session)?.delete(key)
    this.forgetKey(stage.root)
  }

  /** The stages `session` sees (SHOW STAGES): its temporary ones and the permanent ones they do not hide. */
  visible(session: string): Array<NamedStage> {
    const own = this.temporary.get(session) ?? new Map<string, NamedStage>()
    return [...own.values(), ...[...this.permanent].filter(([key]) => !own.has(key)).map(([, s]) => s)]
  }

  /** Forgets a finished session's temporary stages and formats; returns the stages (their files are the caller's). */
  endSession(session: string): Array<NamedStage> {
    const own = [...(this.temporary.get(session)?.values() ?? [])]
    this.temporary.delete(session)
    this.temporaryFormats.delete(session)
    for (const stage of own) this.forgetKey(stage.root)
    return own
  }

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

/**
 * A name as one segment of a storage key. `$` stays as it is: it is legal in a URL path, and
 * snowflake-sdk puts a GCS stage's location into its URLs without encoding it, so an escaped `%24`
 * would reach the emulator's GCS endpoint decoded and name another key (`SYSTEM$BIND`, `A$B`).
 */
export const enc = (part: string) => encodeURIComponent(part).replace(/%24/g, "$")

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
      return namedRoot(d, s, n, undefined)
    }
  }
}

/** Where a named stage's files live; a temporary stage's under its session. */
export const namedRoot = (database: string, schema: string, name: string, session: string | undefined) =>
  `${session === undefined ? "stages" : `temp/${enc(session)}`}/${enc(database)}/${enc(schema)}/${enc(name)}/`
