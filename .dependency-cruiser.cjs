/**
 * The architecture of the design notes (DESIGN.md §2, "Layout" and "Rules of the house") as rules
 * that fail `npm test` (`npm run lint:arch`: `depcruise src`). Each rule says why it exists; an
 * allowance is named in the rule it loosens, never a blanket exception.
 *
 * Paths are the resolved ones, relative to the repository: `src/...` for our modules, `node:http` or
 * `http` for Node built-ins, `node_modules/<package>/...` for packages (`preserveSymlinks` keeps a
 * symlinked node_modules named as CI's is).
 *
 * Where the layers sit, bottom to top (a layer imports only layers below it):
 *   errors → sql → protocol      the pure core: values, wire schemas, codecs
 *   telemetry                    metric and span definitions (a leaf)
 *   streams                      result streams, export sinks, upload pipeline
 *   services                     one Context.Tag per file
 *   simulation                   record / replay around the statements
 *   layers                       public compositions
 *   index.ts                     the package's entry
 *   cli                          the `effect-snowflake` program: hosts the client and the emulator
 * and beside them `emulator/`, which meets the client only on the wire (it may share `protocol/`).
 */

const { peerDependenciesMeta } = require("./package.json")

/**
 * The client is src/ but these two: the emulator (a server, its own subpath export) and cli/ (the
 * program that hosts both). Rules about "the client" read `from: { path: SRC, pathNot: NOT_CLIENT }`.
 */
const SRC = "^src/"
const NOT_CLIENT = "^src/(emulator|cli)/"

/** The pure core: computes, never reaches outside the process, knows nothing above it. */
const PURE_CORE = "^src/(protocol|sql|errors)/"

/**
 * "No I/O" for the pure core means: no module that can touch a file, a socket, a process, the
 * terminal or the OS. Of Node's built-ins only these are allowed, all computation: `crypto` (hashes,
 * ciphers, keys — `randomBytes` draws entropy but opens nothing), `buffer`, `util`, `string_decoder`.
 * Everything else built in (fs, net, http, https, http2, tls, dgram, dns, child_process, os, stream,
 * worker_threads, zlib, ...) is outside the core. (`zlib` is pure too, but the core has no use for it:
 * gunzipping chunks is the streams' job; allow it here if a codec ever needs it.)
 */
const PURE_BUILTINS = "^(node:)?(crypto|buffer|util|string_decoder)$"

/**
 * Packages the pure core may use: `effect` (data types, Schema — values that describe work, none
 * performed on import) and `jose` (JWT signing over WebCrypto). Anything else (@effect/platform's
 * FileSystem and HttpClient, the cloud SDKs, DuckDB) is I/O or belongs to a layer above.
 */
const PURE_PACKAGES = "(^|/)node_modules/(effect|jose)/"

/** Every kind of package dependency dependency-cruiser tells apart. */
const PACKAGE = ["npm", "npm-dev", "npm-peer", "npm-optional", "npm-bundled", "npm-no-pkg", "npm-unknown"]

/**
 * The HTTP client, in every form it can be imported: Node's sockets and HTTP stacks, undici, and the
 * @effect/platform(-node) client modules. (Headers, UrlParams, HttpBody are data, not a client.)
 */
const HTTP_BUILTINS = "^(node:)?(http|https|http2|net|tls|dgram)$"
const HTTP_PACKAGES = [
  "(^|/)node_modules/undici/",
  "(^|/)node_modules/@effect/platform/dist/[^/]+/(HttpClient[A-Za-z]*|FetchHttpClient|HttpApiClient|Socket)\\.",
  "(^|/)node_modules/@effect/platform-node(-shared)?/dist/[^/]+/(NodeHttpClient|Undici|NodeSocket)\\."
]

/** The object stores' SDKs (optional peers, loaded on first use by services/storage/). */
const CLOUD_SDKS = "(^|/)node_modules/(@aws-sdk|@smithy|@azure|@google-cloud)/"

/** package.json's optional peers, as paths: a user may not have them installed. */
const OPTIONAL_PEERS = `(^|/)node_modules/(${Object.keys(peerDependenciesMeta)
  .filter((name) => peerDependenciesMeta[name].optional)
  .map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
  .join("|")})/`

/** What a program starts from; everything else in src/ must be reachable from one of them. */
const ENTRY_POINTS = "^src/(index|emulator/index|cli/main)\\.ts$"

module.exports = {
  forbidden: [
    // ── The pure core ────────────────────────────────────────────────────────────────────────────
    {
      name: "pure-core-imports-nothing-above",
      comment:
        "protocol/, sql/ and errors/ are the floor every service stands on (DESIGN §2: services import " +
        "them, never the reverse). An import upward makes the floor depend on a service, a stream, a " +
        "layer, the simulation, telemetry, the emulator or the CLI: move the shared piece down instead.",
      severity: "error",
      from: { path: PURE_CORE },
      to: { path: "^src/(services|streams|layers|simulation|telemetry|emulator|cli)/|^src/index\\.ts$" }
    },
    {
      name: "errors-import-nothing",
      comment:
        "errors/ is the bottom of the core: every layer may raise its errors, so it may import none " +
        "of them (sql/ and protocol/ build on errors/, not the other way round).",
      severity: "error",
      from: { path: "^src/errors/" },
      to: { path: "^src/", pathNot: "^src/errors/" }
    },
    {
      name: "sql-imports-only-errors",
      comment:
        "sql/ builds statements as values; the wire format (protocol/) encodes them, so protocol/ " +
        "may import sql/ and sql/ only errors/.",
      severity: "error",
      from: { path: "^src/sql/" },
      to: { path: "^src/", pathNot: "^src/(sql|errors)/" }
    },
    {
      name: "pure-core-no-io-builtins",
      comment:
        "The pure core does no I/O (DESIGN §2), so that it runs and tests anywhere, without a file " +
        "system or a network. Allowed built-ins: " +
        PURE_BUILTINS +
        " (computation only; see PURE_BUILTINS in this file).",
      severity: "error",
      from: { path: PURE_CORE },
      to: { dependencyTypes: ["core"], pathNot: PURE_BUILTINS }
    },
    {
      name: "pure-core-no-io-packages",
      comment:
        "The pure core does no I/O and depends on no service, so of the packages it may use only " +
        "effect and jose (see PURE_PACKAGES in this file). An HTTP client, a FileSystem, a cloud SDK " +
        "or DuckDB belongs to a layer above.",
      severity: "error",
      from: { path: PURE_CORE },
      to: { dependencyTypes: PACKAGE, pathNot: PURE_PACKAGES }
    },

    // ── One downward path through the client ────────────────────────────────────────────────────
    {
      name: "telemetry-is-a-leaf",
      comment:
        "telemetry/ defines metrics and span helpers that every layer may use; importing any of them " +
        "back would tie the definitions to one user.",
      severity: "error",
      from: { path: "^src/telemetry/" },
      to: { path: "^src/", pathNot: "^src/telemetry/" }
    },
    {
      name: "streams-below-services",
      comment:
        "streams/ turns what a service fetched into rows, files or uploads; services drive streams, " +
        "never the reverse. A stream that needs a download takes it as an argument (an Effect or a " +
        "function), not as a service import.",
      severity: "error",
      from: { path: "^src/streams/" },
      to: { path: "^src/(services|simulation|layers|cli)/|^src/index\\.ts$" }
    },
    {
      name: "services-below-simulation-and-layers",
      comment:
        "simulation/ wraps a service (record / replay) and layers/ composes services: a service that " +
        "imported either would depend on its own wrapper or composition.",
      severity: "error",
      from: { path: "^src/services/" },
      to: { path: "^src/(simulation|layers|cli)/|^src/index\\.ts$" }
    },
    {
      name: "simulation-below-layers",
      comment:
        "layers/ chooses live or simulated statements; the simulation knows the seam it swaps, not " +
        "the compositions that choose it.",
      severity: "error",
      from: { path: "^src/simulation/" },
      to: { path: "^src/(layers|cli)/|^src/index\\.ts$" }
    },
    {
      name: "nothing-imports-the-entry-points",
      comment:
        "src/index.ts (the package's public barrel) and cli/ (the program) are the top: a module that " +
        "imported them would import the whole client, and a cycle with it.",
      severity: "error",
      from: { path: SRC, pathNot: "^src/cli/" },
      to: { path: "^src/index\\.ts$|^src/cli/" }
    },

    // ── One place each for HTTP and object stores ───────────────────────────────────────────────
    {
      name: "only-transport-talks-http-to-snowflake",
      comment:
        "DESIGN §2: only Transport talks HTTP to Snowflake, so retries, tracing, redaction and fault " +
        "handling live in one place. Chunk downloads go through Transport too. Named allowances, " +
        "for object stores (DESIGN: only CloudStorage talks to them): services/CloudStorage.ts takes " +
        "the HttpClient tag to hand it to the GCS adapter; services/storage/gcs.ts speaks GCS's XML " +
        "API on it; services/storage/s3.ts gives the AWS SDK an https.Agent with the configured " +
        "trust (node:https, node:tls). layers/ may provide the client (rule " +
        "layers-only-provide-the-http-client). The emulator is a server and is not the client.",
      severity: "error",
      from: {
        path: SRC,
        pathNot: [
          "^src/emulator/",
          "^src/layers/",
          "^src/services/Transport\\.ts$",
          "^src/services/CloudStorage\\.ts$",
          "^src/services/storage/(gcs|s3)\\.ts$"
        ]
      },
      to: { path: [HTTP_BUILTINS, ...HTTP_PACKAGES] }
    },
    {
      name: "layers-only-provide-the-http-client",
      comment:
        "A composition takes the HttpClient tag (to hand the client to Transport and CloudStorage) " +
        "and provides Node's implementation (NodeHttpClient) to the batteries-included layers; it " +
        "builds no request itself (no HttpClientRequest, no sockets).",
      severity: "error",
      from: { path: "^src/layers/" },
      to: {
        path: [HTTP_BUILTINS, ...HTTP_PACKAGES],
        pathNot: [
          "(^|/)node_modules/@effect/platform-node/dist/[^/]+/NodeHttpClient\\.",
          "(^|/)node_modules/@effect/platform/dist/[^/]+/HttpClient\\."
        ],
        dependencyTypesNot: ["type-only"]
      }
    },
    {
      name: "only-storage-imports-cloud-sdks",
      comment:
        "DESIGN §2: only CloudStorage talks to object stores; its adapters in services/storage/ are " +
        "the one place in the client that imports @aws-sdk/*, @azure/*, @google-cloud/* (and AWS's " +
        "@smithy/*). Named allowance: the emulator's own storage backends (emulator/storage/, e.g. " +
        "reading blobs from azurite with @azure/storage-blob) are a server's, not the client's.",
      severity: "error",
      from: { path: SRC, pathNot: ["^src/services/storage/", "^src/emulator/storage/"] },
      to: { path: CLOUD_SDKS }
    },
    {
      name: "cloud-sdks-load-lazily",
      comment:
        "The cloud SDKs are optional peers: whoever imports them (client or emulator) loads them " +
        "with import() when a stage of that cloud is first used, so a user without them installed " +
        "can still load everything else. Their types may be named.",
      severity: "error",
      from: { path: SRC },
      to: { path: CLOUD_SDKS, dynamic: false, dependencyTypesNot: ["type-only", "type-import"] }
    },
    {
      name: "client-loads-optional-peers-lazily",
      comment:
        "The cloud SDKs, DuckDB, polyglot and hyparquet-writer are optional peers (package.json " +
        "peerDependenciesMeta): a user who never touches S3 need not install it. The client may " +
        "name their types, but loads them only with import() when first used. (The emulator and " +
        "the CLI need DuckDB and polyglot and import them directly.)",
      severity: "error",
      from: { path: SRC, pathNot: NOT_CLIENT },
      to: { path: OPTIONAL_PEERS, dynamic: false, dependencyTypesNot: ["type-only", "type-import"] }
    },
    {
      name: "platform-imports-name-their-module",
      comment:
        "Import @effect/platform and @effect/platform-node by module (@effect/platform/HttpClient), " +
        "not from the package's barrel, so the rules above can see which module a file uses.",
      severity: "error",
      from: { path: SRC },
      to: { path: "(^|/)node_modules/@effect/platform(-node)?/dist/[^/]+/index\\." }
    },

    // ── The client and the emulator meet only on the wire ───────────────────────────────────────
    {
      name: "client-never-imports-emulator",
      comment:
        "DESIGN §2: the client imports nothing from the emulator; they meet only on the wire and " +
        "tests join them. The CLI is the one program that hosts both (`effect-snowflake emulator`, " +
        "`demo`), so cli/ may import the emulator's entry.",
      severity: "error",
      from: { path: SRC, pathNot: NOT_CLIENT },
      to: { path: "^src/emulator/" }
    },
    {
      name: "cli-uses-the-emulator-by-its-entry",
      comment:
        "The CLI starts the emulator through effect-snowflake/emulator's public entry, as a user " +
        "would, not through its internals.",
      severity: "error",
      from: { path: "^src/cli/" },
      to: { path: "^src/emulator/", pathNot: "^src/emulator/index\\.ts$" }
    },
    {
      name: "emulator-imports-only-protocol",
      comment:
        "DESIGN §2: the emulator imports nothing from the client. Decision: protocol/ is the wire " +
        "contract both sides speak (value codecs such as lossless JSON, no I/O, nothing above it), " +
        "so the emulator may import protocol/ modules; nothing else of the client (services, " +
        "streams, layers, simulation, telemetry, sql, errors, the CLI).",
      severity: "error",
      from: { path: "^src/emulator/" },
      to: { path: "^src/", pathNot: "^src/(emulator|protocol)/" }
    },
    {
      name: "emulator-reaches-only-protocol",
      comment:
        "The same, transitively: a protocol/ module the emulator imports must not pull in the " +
        "client's errors/ or sql/ (protocol/ may import them; the emulator has its own errors). " +
        "Direct imports of the rest of the client are the rule above's.",
      severity: "error",
      from: { path: "^src/emulator/" },
      to: { path: "^src/(errors|sql)/", reachable: true }
    },

    // ── Shape ───────────────────────────────────────────────────────────────────────────────────
    {
      name: "no-circular",
      comment:
        "A cycle has no bottom: neither module can be read, tested or moved without the other, and " +
        "ES module initialisation order starts to matter. Type-only imports count: they are the " +
        "same coupling.",
      severity: "error",
      from: { path: SRC },
      to: { circular: true }
    },
    {
      name: "no-unreachable-modules",
      comment:
        "Every module in src/ is reached from an entry point (src/index.ts, src/emulator/index.ts, " +
        "src/cli/main.ts); one that is not is dead code (an orphan, or a barrel nobody imports).",
      severity: "error",
      from: { path: ENTRY_POINTS },
      to: { path: "^src/", pathNot: ENTRY_POINTS, reachable: false }
    },
    {
      name: "no-orphans",
      comment: "A module that imports nothing and that nothing imports (entry points aside) is dead code.",
      severity: "error",
      from: { orphan: true, path: SRC, pathNot: ENTRY_POINTS },
      to: {}
    },

    // ── Packages ────────────────────────────────────────────────────────────────────────────────
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to no file fails at run time.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true }
    },
    {
      name: "no-non-package-json",
      comment:
        "A package src/ imports must be declared in package.json (dependencies or peerDependencies), " +
        "or a user's install will not have it. (dependency-cruiser 17 reads peerDependenciesMeta as " +
        "one more dependency section and types its packages npm-no-pkg too: a package that is also " +
        "declared where it counts is fine.)",
      severity: "error",
      from: { path: SRC },
      to: {
        dependencyTypes: ["npm-no-pkg", "npm-unknown"],
        dependencyTypesNot: ["npm", "npm-peer", "npm-optional", "npm-dev"]
      }
    },
    {
      name: "not-to-dev-dep",
      comment:
        "src/ ships; a package declared only in devDependencies is not installed for users. " +
        "(Peers are declared in both: the peer declaration is the one that counts.)",
      severity: "error",
      from: { path: SRC },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["npm", "npm-peer", "type-only"] }
    },
    {
      name: "no-deprecated-core",
      comment: "A deprecated Node built-in (punycode, domain, ...) has a replacement; use it.",
      severity: "error",
      from: {},
      to: {
        dependencyTypes: ["core"],
        path: "^(node:)?(punycode|domain|constants|sys|_linklist|_stream_wrap)$"
      }
    }
  ],
  options: {
    doNotFollow: { path: "(^|/)node_modules/" },
    // Type-only imports are dependencies of the design (and can form cycles): see them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // Keep node_modules/... paths as they are named, not as a symlinked node_modules resolves.
    preserveSymlinks: true,
    // process.getBuiltinModule("fs") is an import too (the pure-core rules must see it).
    detectProcessBuiltinModuleCalls: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"]
    },
    reporterOptions: {
      text: { highlightFocused: true }
    }
  }
}
