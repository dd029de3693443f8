/**
 * Azure stages on an azurite blob service the emulator starts as a child process it owns
 * (127.0.0.1, a free port, telemetry off, data under the stage directory). The drivers get an
 * `http://127.0.0.1:PORT/devstoreaccount1` endPoint (snowflake-sdk uses a full URL verbatim) and
 * an account SAS token; the emulator reads blobs with @azure/storage-blob, imported lazily.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { createRequire } from "node:module"
import { createServer, Socket } from "node:net"
import * as nodePath from "node:path"
import { Effect, Schedule, type Scope } from "effect"
import { baseStageInfo, type StageStorage, StorageError, type StoredObject } from "./storage.js"

export const AZURE_CONTAINER = "sfc-emulator-stages"
/** azurite's well-known development account (public, documented by Microsoft). */
const ACCOUNT = "devstoreaccount1"
const ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

const attempt = <A>(what: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (cause) => new StorageError({ message: `${what}: ${String(cause)}`, cause })
  })

const freePort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

const canConnect = (port: number) =>
  Effect.async<void, StorageError>((resume) => {
    const socket = new Socket()
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.void)
    })
    socket.once("error", (cause) => {
      socket.destroy()
      resume(Effect.fail(new StorageError({ message: "azurite is not up", cause })))
    })
    socket.connect(port, "127.0.0.1")
  })

/** azurite's development account, as `launchAzurite` serves it. */
export interface Azurite {
  readonly port: number
  readonly account: string
  readonly accountKey: string
}

/**
 * azurite's blob service as a child process on a free port of 127.0.0.1, its data in `location`,
 * telemetry off; stopped with the scope. (The tests' storage support starts it the same way.)
 */
export const launchAzurite = (location: string): Effect.Effect<Azurite, StorageError, Scope.Scope> =>
  Effect.gen(function* () {
    const require = createRequire(import.meta.url)
    const main = yield* Effect.try({
      try: () =>
        nodePath.join(nodePath.dirname(require.resolve("azurite/package.json")), "dist/src/blob/main.js"),
      catch: (cause) =>
        new StorageError({ message: "azurite is not installed (npm install -D azurite)", cause })
    })
    const port = yield* freePort
    yield* Effect.acquireRelease(
      Effect.sync(() =>
        spawn(
          process.execPath,
          [
            main,
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            String(port),
            "--location",
            location,
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
      Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.compose(Schedule.recurs(150))))
    )
    return { port, account: ACCOUNT, accountKey: ACCOUNT_KEY }
  })

export const startAzureStorage = (dir: string): Effect.Effect<StageStorage, StorageError, Scope.Scope> =>
  Effect.gen(function* () {
    const { port } = yield* launchAzurite(nodePath.join(dir, "azurite"))
    const azure = yield* attempt("@azure/storage-blob is not installed", () => import("@azure/storage-blob"))
    const endpoint = `http://127.0.0.1:${port}/${ACCOUNT}`
    const credential = new azure.StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY)
    const service = new azure.BlobServiceClient(endpoint, credential)
    const container = service.getContainerClient(AZURE_CONTAINER)
    yield* attempt("cannot create the stage container", () => container.createIfNotExists())
    const sas = `?${azure
      .generateAccountSASQueryParameters(
        {
          permissions: azure.AccountSASPermissions.parse("rwdlacup"),
          services: "b",
          resourceTypes: "sco",
          expiresOn: new Date(Date.now() + 7 * 24 * 3600 * 1000)
        },
        credential
      )
      .toString()}`
    return {
      kind: "azure",
      locationType: "AZURE",
      encrypted: true,
      list: (prefix) =>
        attempt("list", async () => {
          const objects: Array<StoredObject> = []
          for await (const blob of container.listBlobsFlat({ prefix })) {
            const md5 = blob.properties.contentMD5
            objects.push({
              key: blob.name,
              size: blob.properties.contentLength ?? 0,
              md5:
                md5 !== undefined && md5.length > 0
                  ? Buffer.from(md5).toString("hex")
                  : createHash("md5")
                      .update(blob.properties.etag ?? blob.name)
                      .digest("hex"),
              lastModified: blob.properties.lastModified
            })
          }
          return objects.sort((a, b) => a.key.localeCompare(b.key))
        }),
      read: (key) =>
        attempt(`read ${key}`, async () => {
          const blob = container.getBlockBlobClient(key)
          const [body, properties] = await Promise.all([blob.downloadToBuffer(), blob.getProperties()])
          const metadata: Record<string, string> = {}
          for (const [name, value] of Object.entries(properties.metadata ?? {}))
            metadata[name.toLowerCase()] = value
          return { body, metadata }
        }),
      write: (key, data) =>
        attempt(`write ${key}`, () =>
          container
            .getBlockBlobClient(key)
            .uploadData(data.body, { metadata: { ...data.metadata } })
            .then(() => undefined)
        ),
      remove: (key) =>
        attempt(`remove ${key}`, () =>
          container
            .getBlockBlobClient(key)
            .deleteIfExists()
            .then(() => undefined)
        ),
      stageInfo: (prefix) => ({
        ...baseStageInfo("AZURE", `${AZURE_CONTAINER}/${prefix}`, prefix),
        storageAccount: ACCOUNT,
        endPoint: endpoint,
        creds: { AZURE_SAS_TOKEN: sas }
      })
    } satisfies StageStorage
  })
