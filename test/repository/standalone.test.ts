/**
 * The repository stands alone: nothing in the code, tests, benchmarks, examples or scripts may read a
 * path outside the checkout (CI runs with the team's `shared/` folder beside it, so such a read would
 * pass there and fail for every user who clones the project).
 *
 * Every string literal that is a relative path (`./`, `../`) is resolved against its file's folder and
 * against the repository root and must stay inside the checkout; absolute paths into home or work
 * folders, and any mention of the team's shared reference folders, fail outright.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const trees = ["src", "test", "bench", "bin", "examples", ".ci"]
const rootFiles = [
  "package.json",
  "vitest.config.ts",
  "vite.config.ts",
  "biome.json",
  "tsconfig.json",
  "knip.config.ts",
  ".dependency-cruiser.cjs"
]
const skipped = new Set(["node_modules", "dist", "fixtures", "cassettes"])
const sourceFile = /\.(ts|js|mjs|cjs|json|sh)$|^run$/

const filesUnder = (dir: string): ReadonlyArray<string> =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory()) return skipped.has(entry.name) ? [] : filesUnder(full)
        return sourceFile.test(entry.name) ? [full] : []
      })
    : []

const absoluteOutside = /["'`](\/(?:work|home|root|Users|mnt|opt|srv)\/[^"'`]*)/g
const sharedFolder = /shared\/(?:protocol|reference|hooks|DESIGN\.md)/g
const relativeLiteral = /["'`]((?:\.\.?\/)+[^"'`$\s]*)/g

const inside = (target: string) => target === root || target.startsWith(root + path.sep)

/** The offending references of one file's text, as `line: reference`. */
const offences = (file: string, text: string): ReadonlyArray<string> =>
  text.split("\n").flatMap((line, index) => {
    const where = `${path.relative(root, file)}:${index + 1}`
    const found: Array<string> = []
    for (const match of line.matchAll(absoluteOutside)) found.push(`${where}: absolute path ${match[1]}`)
    for (const match of line.matchAll(sharedFolder))
      found.push(`${where}: the team's shared folder (${match[0]})`)
    for (const match of line.matchAll(relativeLiteral)) {
      const reference = match[1]!
      const fromFile = path.resolve(path.dirname(file), reference)
      const fromRoot = path.resolve(root, reference)
      if (!inside(fromFile) && !inside(fromRoot)) found.push(`${where}: ${reference} leaves the checkout`)
    }
    return found
  })

describe("the repository stands alone", () => {
  it("reads no path outside the checkout", () => {
    const files = [
      ...trees.flatMap((tree) => filesUnder(path.join(root, tree))),
      ...rootFiles.map((f) => path.join(root, f))
    ]
    assert.isAbove(files.length, 100)
    const self = fileURLToPath(import.meta.url)
    const found = files
      .filter((file) => file !== self && fs.existsSync(file))
      .flatMap((file) => offences(file, fs.readFileSync(file, "utf8")))
    assert.deepStrictEqual(found, [])
  })

  it("finds a reference that leaves the checkout (the check can fail)", () => {
    const file = path.join(root, "test", "example.ts")
    assert.lengthOf(offences(file, 'read("../../shared/protocol/fixtures")'), 2)
    assert.lengthOf(offences(file, 'read("/work/elsewhere/x.json")'), 1)
    assert.lengthOf(offences(file, 'import "../src/index.js"'), 0)
  })
})
