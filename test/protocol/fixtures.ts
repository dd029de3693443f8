/** Reads the protocol fixtures kept in the repository (test/fixtures/protocol, provenance in its README). */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/protocol")

export const fixtureNames = (): ReadonlyArray<string> =>
  fs
    .readdirSync(fixturesDir)
    .filter((name) => name.endsWith(".json"))
    .sort()

export const fixtureText = (name: string): string => fs.readFileSync(path.join(fixturesDir, name), "utf8")

export const fixture = (name: string): unknown => JSON.parse(fixtureText(name))
