/**
 * What the client's layers promise about runtimes, checked on the import graph.
 *
 * The client needs Node: key-pair signing and stage encryption use node:crypto (PEM parsing of
 * encrypted keys and AES key wrapping that WebCrypto does not offer), result chunks inflate with
 * node:zlib, PUT reads files with node:fs. So no layer may be named as if it ran without Node: the
 * layers that leave `HttpClient` and `FileSystem` to the caller are `…WithoutPlatform`, not
 * `…WithoutNode`. A module that exports a name promising no Node must import no Node built-in,
 * directly or through any module it imports.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as Snowflake from "../../src/layers/Snowflake.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const src = path.join(root, "src")

/** Import and export specifiers of a module's text (static, side-effect and dynamic imports). */
const specifiers = (text: string): ReadonlyArray<string> => [
  ...[...text.matchAll(/\bfrom\s+"([^"]+)"/g)].map((m) => m[1]!),
  ...[...text.matchAll(/\bimport\s+"([^"]+)"/g)].map((m) => m[1]!),
  ...[...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!)
]

/** Node built-ins (and the Node platform package) this module reaches, with one path to each. */
const nodeImports = (entry: string): ReadonlyMap<string, ReadonlyArray<string>> => {
  const found = new Map<string, ReadonlyArray<string>>()
  const seen = new Set<string>()
  const visit = (file: string, trail: ReadonlyArray<string>) => {
    if (seen.has(file)) return
    seen.add(file)
    const here = [...trail, path.relative(root, file)]
    for (const spec of specifiers(fs.readFileSync(file, "utf8"))) {
      if (spec.startsWith("node:") || spec.startsWith("@effect/platform-node")) {
        if (!found.has(spec)) found.set(spec, here)
      } else if (spec.startsWith(".")) {
        visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")), here)
      }
    }
  }
  visit(entry, [])
  return found
}

const modulesUnder = (dir: string): ReadonlyArray<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return modulesUnder(full)
    return entry.name.endsWith(".ts") ? [full] : []
  })

const promisesNoNode = /\bexport\s+(?:const|function|class|let)\s+(\w*(?:WithoutNode|NodeFree|Portable)\w*)/g

describe("runtimes", () => {
  it("the import graph walker finds a Node built-in it is shown", () => {
    const found = nodeImports(path.join(src, "streams", "nodeGunzip.ts"))
    assert.deepStrictEqual([...found.keys()], ["node:zlib"])
  })

  it("the client's layers need Node, and are named so", () => {
    const found = nodeImports(path.join(src, "layers", "Snowflake.ts"))
    for (const builtin of ["node:crypto", "node:zlib", "node:fs"]) {
      assert.isTrue(found.has(builtin), `src/layers/Snowflake.ts reaches ${builtin}`)
    }
    const names = Object.keys(Snowflake)
    assert.deepStrictEqual(
      names.filter((name) => /WithoutNode/.test(name)),
      []
    )
    for (const name of [
      "layerWithoutPlatform",
      "layerConfigWithoutPlatform",
      "layerSimulatedWithoutPlatform",
      "layerCloudStorageWithoutPlatform"
    ]) {
      assert.isTrue(names.includes(name), `Snowflake.${name} is exported`)
    }
  })

  it("a module that exports a name promising no Node imports no Node built-in", () => {
    const broken = modulesUnder(src).flatMap((file) => {
      const promised = [...fs.readFileSync(file, "utf8").matchAll(promisesNoNode)].map((m) => m[1]!)
      if (promised.length === 0) return []
      return [...nodeImports(file)].map(
        ([builtin, trail]) =>
          `${promised.join(", ")} in ${path.relative(root, file)}: ${builtin} via ${trail.join(" → ")}`
      )
    })
    assert.deepStrictEqual(broken, [])
  })
})
