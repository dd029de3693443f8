/**
 * LOCAL_FS stages: a directory on the emulator's disk that the drivers copy files into and out of
 * themselves (§9.3) — so it only works when the client shares the emulator's filesystem. No
 * encryption (the drivers send none for LOCAL_FS); metadata is not kept.
 */
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { Effect } from "effect"
import { baseStageInfo, md5Hex, type StageStorage, StorageError, type StoredObject } from "./storage.js"

/** Every file under `dir`, into `files` (no spreading: a directory may hold more files than a call has arguments). */
const walk = async (dir: string, files: Array<string> = []): Promise<Array<string>> => {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    const full = nodePath.join(dir, entry.name)
    if (entry.isDirectory()) await walk(full, files)
    else if (entry.isFile()) files.push(full)
  }
  return files
}

const attempt = <A>(what: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (cause) => new StorageError({ message: `${what}: ${String(cause)}`, cause })
  })

export const makeLocalStorage = (root: string): StageStorage => {
  const pathOf = (key: string) => nodePath.join(root, ...key.split("/"))
  return {
    kind: "local",
    locationType: "LOCAL_FS",
    encrypted: false,
    list: (prefix) =>
      attempt("list", async () => {
        // the prefix may end inside a file name (`@s/da` matches `data.csv`): walk its directory
        const dir = prefix.endsWith("/") ? prefix : prefix.slice(0, prefix.lastIndexOf("/") + 1)
        const files = await walk(pathOf(dir))
        const objects: Array<StoredObject> = []
        for (const file of files) {
          const key = nodePath.relative(root, file).split(nodePath.sep).join("/")
          if (!key.startsWith(prefix)) continue
          const [stat, body] = await Promise.all([fs.stat(file), fs.readFile(file)])
          objects.push({ key, size: stat.size, md5: md5Hex(body), lastModified: stat.mtime })
        }
        return objects.sort((a, b) => a.key.localeCompare(b.key))
      }),
    read: (key) =>
      attempt(`read ${key}`, async () => ({ body: await fs.readFile(pathOf(key)), metadata: {} })),
    write: (key, data) =>
      attempt(`write ${key}`, async () => {
        await fs.mkdir(nodePath.dirname(pathOf(key)), { recursive: true })
        await fs.writeFile(pathOf(key), data.body)
      }),
    remove: (key) => attempt(`remove ${key}`, () => fs.rm(pathOf(key), { force: true })),
    stageInfo: (prefix) => {
      const location = `${pathOf(prefix)}${nodePath.sep}`
      return { ...baseStageInfo("LOCAL_FS", location, prefix), isClientSideEncrypted: false }
    }
  }
}
