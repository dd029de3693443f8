/**
 * What an emulator instance can be told at start-up. Every field is optional; the defaults make a
 * permissive local server (any user/password accepted) with realistic token lifetimes.
 */

/** A user the emulator knows. With no users configured at all, any user and password are accepted. */
export interface EmulatorUser {
  readonly name: string
  readonly password?: string
  /** RSA public keys (SPKI PEM) accepted for key-pair (SNOWFLAKE_JWT) login. */
  readonly publicKeys?: ReadonlyArray<string>
  /** OAuth access tokens accepted for AUTHENTICATOR=OAUTH. */
  readonly oauthTokens?: ReadonlyArray<string>
  /** Programmatic access tokens accepted for AUTHENTICATOR=PROGRAMMATIC_ACCESS_TOKEN. */
  readonly pats?: ReadonlyArray<string>
  readonly defaultWarehouse?: string
  readonly defaultDatabase?: string
  readonly defaultSchema?: string
  readonly defaultRole?: string
}

export interface EmulatorOptions {
  /** 0 picks a free port. */
  readonly port?: number
  readonly host?: string
  /** DuckDB database file; in memory when absent. */
  readonly dbPath?: string
  /** Rows per result chunk; results larger than this are served as gzip chunks. */
  readonly chunkRows?: number
  /** Rows carried inline by the first response of a chunked result. */
  readonly inlineRows?: number
  readonly users?: ReadonlyArray<EmulatorUser>
  readonly sessionValiditySeconds?: number
  readonly masterValiditySeconds?: number
  /** How long a query-request or result GET is held before answering 333333. */
  readonly longPollSeconds?: number
  /**
   * Where stage files live (default "local"): a local directory (LOCAL_FS), "gcs" (an endpoint on
   * the emulator's own HTTP server), "s3" (an s3rver the emulator starts, over TLS with a
   * self-signed certificate) or "azure" (an azurite the emulator starts).
   */
  readonly storage?: "local" | "s3" | "gcs" | "azure"
  /**
   * LOCAL_FS stage directory (s3rver's and azurite's data, and the GCS endpoint's object files,
   * too); a temporary one when absent.
   */
  readonly stageDir?: string
}

export interface ResolvedOptions {
  readonly port: number
  readonly host: string
  readonly dbPath: string | undefined
  readonly chunkRows: number
  readonly inlineRows: number
  readonly users: ReadonlyArray<EmulatorUser>
  readonly sessionValiditySeconds: number
  readonly masterValiditySeconds: number
  readonly longPollSeconds: number
}

export const resolveOptions = (options: EmulatorOptions = {}): ResolvedOptions => {
  const chunkRows = Math.max(1, options.chunkRows ?? 25_000)
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    dbPath: options.dbPath,
    chunkRows,
    inlineRows: Math.max(0, Math.min(options.inlineRows ?? 1_000, chunkRows)),
    users: options.users ?? [],
    sessionValiditySeconds: options.sessionValiditySeconds ?? 3600,
    masterValiditySeconds: options.masterValiditySeconds ?? 14400,
    // Node gives up on a request after 90 s; 20 s stays well clear of that.
    longPollSeconds: options.longPollSeconds ?? 20
  }
}
