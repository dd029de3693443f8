/** Reads the shared protocol fixtures (../shared/protocol/fixtures beside the checkout). */
import * as fs from "node:fs"
import * as path from "node:path"

export const fixturesDir = path.resolve(process.cwd(), "../shared/protocol/fixtures")

export const fixtureNames = (): ReadonlyArray<string> =>
  fs
    .readdirSync(fixturesDir)
    .filter((name) => name.endsWith(".json"))
    .sort()

export const fixtureText = (name: string): string => fs.readFileSync(path.join(fixturesDir, name), "utf8")

export const fixture = (name: string): unknown => JSON.parse(fixtureText(name))
