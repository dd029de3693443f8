/**
 * `effect-snowflake emulator [--port N] [--db FILE] [--chunk-rows N] [--users FILE]
 *   [--storage local|s3|gcs|azure] [--stage-dir DIR]`
 *
 * Runs the emulator until interrupted and prints exactly one line, `listening on http://HOST:PORT`.
 *
 * `--storage` picks where stage files (PUT, GET, LIST, REMOVE, COPY INTO) live, so one command
 * gives a local Snowflake with real object-store stages:
 * - `local` (default): a directory (`--stage-dir`, else a temporary one) handed to the drivers as
 *   LOCAL_FS — works when the client runs on the same machine;
 * - `gcs`: a GCS-compatible endpoint on the emulator's own port, with client-side encryption;
 * - `s3`: an s3rver the emulator starts on 127.0.0.1 over TLS with a self-signed certificate
 *   (drivers always use https for S3; the command writes the certificate to a file and prints its
 *   path, for SNOWFLAKE_STORAGE_CA_CERTIFICATE_PATH);
 * - `azure`: an azurite the emulator starts on 127.0.0.1 (telemetry off).
 *
 * `--users FILE` is a JSON array of users; with none, any user and password are accepted:
 * ```json
 * [{ "name": "alice", "password": "secret",
 *    "publicKeys": ["-----BEGIN PUBLIC KEY-----\n…"], "oauthTokens": ["…"], "pats": ["…"],
 *    "defaultWarehouse": "WH", "defaultDatabase": "DB", "defaultSchema": "PUBLIC", "defaultRole": "R" }]
 * ```
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Console, Data, Effect, Either } from "effect"
import {
  Emulator,
  type EmulatorOptions,
  type EmulatorStartError,
  type EmulatorUser
} from "../emulator/index.js"
import { usage } from "./emulatorUsage.js"

export class EmulatorCommandError extends Data.TaggedError("EmulatorCommandError")<{
  readonly message: string
}> {}

export interface EmulatorCommandOptions {
  readonly port: number
  readonly dbPath: string | undefined
  readonly chunkRows: number | undefined
  readonly usersFile: string | undefined
  readonly storage: "local" | "s3" | "gcs" | "azure"
  readonly stageDir: string | undefined
}

const integer = (flag: string, text: string | undefined): Either.Either<number, string> => {
  const n = Number(text)
  return text !== undefined && Number.isInteger(n) && n >= 0
    ? Either.right(n)
    : Either.left(`${flag} needs a non-negative integer`)
}

/** Parses the arguments after `emulator`. */
export const parseEmulatorArgs = (
  args: ReadonlyArray<string>
): Either.Either<EmulatorCommandOptions, string> => {
  let port = 8080
  let dbPath: string | undefined
  let chunkRows: number | undefined
  let usersFile: string | undefined
  let storage: EmulatorCommandOptions["storage"] = "local"
  let stageDir: string | undefined
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!
    const value = args[i + 1]
    switch (flag) {
      case "--port": {
        const n = integer(flag, value)
        if (Either.isLeft(n)) return Either.left(n.left)
        port = n.right
        i++
        break
      }
      case "--chunk-rows": {
        const n = integer(flag, value)
        if (Either.isLeft(n) || n.right === 0) return Either.left("--chunk-rows needs a positive integer")
        chunkRows = n.right
        i++
        break
      }
      case "--db":
        if (value === undefined) return Either.left("--db needs a file name")
        dbPath = value
        i++
        break
      case "--users":
        if (value === undefined) return Either.left("--users needs a JSON file")
        usersFile = value
        i++
        break
      case "--storage":
        if (value !== "local" && value !== "s3" && value !== "gcs" && value !== "azure")
          return Either.left("--storage needs one of local, s3, gcs, azure")
        storage = value
        i++
        break
      case "--stage-dir":
        if (value === undefined) return Either.left("--stage-dir needs a directory")
        stageDir = value
        i++
        break
      default:
        return Either.left(`unknown argument ${flag}\n${usage}`)
    }
  }
  return Either.right({ port, dbPath, chunkRows, usersFile, storage, stageDir })
}

const isUser = (u: unknown): u is EmulatorUser =>
  typeof u === "object" && u !== null && typeof (u as { name?: unknown }).name === "string"

const readUsers = (file: string) =>
  Effect.tryPromise({
    try: () => readFile(file, "utf8"),
    catch: () => new EmulatorCommandError({ message: `cannot read ${file}` })
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: () => new EmulatorCommandError({ message: `${file} is not valid JSON` })
      })
    ),
    Effect.filterOrFail(
      (users): users is ReadonlyArray<EmulatorUser> => Array.isArray(users) && users.every(isUser),
      () => new EmulatorCommandError({ message: `${file} must be a JSON array of users with a "name"` })
    )
  )

/** The storage certificate in a file of its own, removed when the emulator stops. */
const writeCertificate = (pem: string) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const directory = mkdtempSync(join(tmpdir(), "effect-snowflake-emulator-"))
        writeFileSync(join(directory, "storage-ca.pem"), pem)
        return directory
      },
      catch: () => new EmulatorCommandError({ message: "cannot write the storage certificate" })
    }),
    (directory) => Effect.sync(() => rmSync(directory, { recursive: true, force: true }))
  ).pipe(Effect.map((directory) => join(directory, "storage-ca.pem")))

/** Starts the emulator from parsed options and keeps it running until the fiber is interrupted. */
export const runEmulator = (
  options: EmulatorCommandOptions
): Effect.Effect<never, EmulatorCommandError | EmulatorStartError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const users = options.usersFile === undefined ? [] : yield* readUsers(options.usersFile)
      const emulatorOptions: EmulatorOptions = {
        port: options.port,
        users,
        storage: options.storage,
        ...(options.stageDir !== undefined ? { stageDir: options.stageDir } : {}),
        ...(options.dbPath !== undefined ? { dbPath: options.dbPath } : {}),
        ...(options.chunkRows !== undefined ? { chunkRows: options.chunkRows } : {})
      }
      const emulator = yield* Emulator.start(emulatorOptions)
      yield* Console.log(`listening on ${emulator.url}`)
      if (emulator.storageCertificate !== undefined) {
        const path = yield* writeCertificate(emulator.storageCertificate)
        yield* Console.log(`S3 stages use TLS with a self-signed certificate: ${path}`)
        yield* Console.log(`  trust it with SNOWFLAKE_STORAGE_CA_CERTIFICATE_PATH=${path}`)
      }
      return yield* Effect.never
    })
  )

/** `effect-snowflake emulator …`: parse, then run. */
export const emulatorCommand = (
  args: ReadonlyArray<string>
): Effect.Effect<never, EmulatorCommandError | EmulatorStartError> =>
  Either.match(parseEmulatorArgs(args), {
    onLeft: (message): Effect.Effect<never, EmulatorCommandError> =>
      Effect.fail(new EmulatorCommandError({ message })),
    onRight: runEmulator
  })
