/**
 * Real object-store emulators for tests, each started on a free port on 127.0.0.1 and stopped
 * with the test's scope: s3rver (in process) and azurite's blob service (a child process, with
 * telemetry off).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer, Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"

/** A port the OS says is free right now. */
export const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

const tempDir = (name: string) =>
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), `${name}-`))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

const canConnect = (port: number) =>
  Effect.async<void, Error>((resume) => {
    const socket = new Socket()
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.void)
    })
    socket.once("error", (error) => {
      socket.destroy()
      resume(Effect.fail(error))
    })
    socket.connect(port, "127.0.0.1")
  })

export interface S3Emulator {
  readonly endpoint: string
  readonly accessKeyId: Redacted.Redacted<string>
  readonly secretAccessKey: Redacted.Redacted<string>
}

/** s3rver with the given buckets; any credentials are accepted (it checks signatures with S3RVER keys). */
export const startS3rver = (buckets: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const directory = yield* tempDir("s3rver")
    const { default: S3rver } = yield* Effect.promise(() => import("s3rver"))
    const server = new S3rver({
      port: 0,
      address: "127.0.0.1",
      silent: true,
      directory,
      configureBuckets: buckets.map((name) => ({ name }))
    })
    const address = yield* Effect.acquireRelease(
      Effect.promise(() => server.run() as Promise<{ port: number }>),
      () => Effect.promise(() => server.close())
    )
    return {
      endpoint: `http://127.0.0.1:${address.port}`,
      accessKeyId: Redacted.make("S3RVER"),
      secretAccessKey: Redacted.make("S3RVER")
    } satisfies S3Emulator
  })

export interface AzureEmulator {
  /** Service URL including the account: `http://127.0.0.1:PORT/devstoreaccount1`. */
  readonly endpoint: string
  readonly storageAccount: string
  readonly accountKey: Redacted.Redacted<string>
}

/** azurite's well-known development account (public, documented by Microsoft). */
const DEV_ACCOUNT = "devstoreaccount1"
const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

/** azurite's blob service in a child process, in a temporary directory, with telemetry off. */
export const startAzurite = Effect.gen(function* () {
  const directory = yield* tempDir("azurite")
  const port = yield* freePort
  yield* Effect.acquireRelease(
    Effect.sync(() =>
      spawn(
        process.execPath,
        [
          join(process.cwd(), "node_modules/azurite/dist/src/blob/main.js"),
          "--blobHost",
          "127.0.0.1",
          "--blobPort",
          String(port),
          "--location",
          directory,
          "--silent",
          "--disableTelemetry",
          "--skipApiVersionCheck",
          "--loose"
        ],
        { stdio: "ignore" }
      )
    ),
    (child: ChildProcess) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      })
  )
  yield* canConnect(port).pipe(
    Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.compose(Schedule.recurs(100)))),
    Effect.orDie
  )
  return {
    endpoint: `http://127.0.0.1:${port}/${DEV_ACCOUNT}`,
    storageAccount: DEV_ACCOUNT,
    accountKey: Redacted.make(DEV_KEY)
  } satisfies AzureEmulator
})
