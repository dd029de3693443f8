/**
 * Source compression for PUT (PROTOCOL.md §9.5): what a file already is (by the SOURCE_COMPRESSION
 * option, else by extension, else by magic bytes), and what the uploaded object will be.
 * AUTO_COMPRESS gzips only files that are not compressed already; the target gets `.gz`.
 */

/** Snowflake's names for compressions a stage file can have. */
export type Compression =
  | "GZIP"
  | "BZ2"
  | "BROTLI"
  | "ZSTD"
  | "DEFLATE"
  | "RAW_DEFLATE"
  | "LZIP"
  | "LZMA"
  | "PARQUET"
  | "ORC"

/** Compressions PUT cannot take (the drivers answer "feature not supported"). */
const unsupported: ReadonlySet<Compression> = new Set(["LZIP", "LZMA"])

const byExtension: ReadonlyArray<readonly [string, Compression]> = [
  [".gz", "GZIP"],
  [".gzip", "GZIP"],
  [".bz2", "BZ2"],
  [".br", "BROTLI"],
  [".zst", "ZSTD"],
  [".deflate", "DEFLATE"],
  [".raw_deflate", "RAW_DEFLATE"],
  [".lz", "LZIP"],
  [".lzma", "LZMA"],
  [".xz", "LZMA"],
  [".parquet", "PARQUET"],
  [".orc", "ORC"]
]

/** The compression a file name's extension says, if any. */
export const fromExtension = (name: string): Compression | undefined => {
  const lowered = name.toLowerCase()
  return byExtension.find(([extension]) => lowered.endsWith(extension))?.[1]
}

const startsWith = (bytes: Uint8Array, magic: ReadonlyArray<number>): boolean =>
  bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte)

/** The compression the first bytes of a file reveal, if any. */
export const fromMagic = (head: Uint8Array): Compression | undefined => {
  if (startsWith(head, [0x1f, 0x8b])) return "GZIP"
  if (startsWith(head, [0x42, 0x5a, 0x68])) return "BZ2"
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return "ZSTD"
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) return "PARQUET"
  if (startsWith(head, [0x4f, 0x52, 0x43])) return "ORC"
  if (startsWith(head, [0x4c, 0x5a, 0x49, 0x50])) return "LZIP"
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return "LZMA"
  return undefined
}

const named: Readonly<Record<string, Compression | "NONE" | "AUTO_DETECT">> = {
  auto_detect: "AUTO_DETECT",
  auto: "AUTO_DETECT",
  none: "NONE",
  gzip: "GZIP",
  bz2: "BZ2",
  bzip2: "BZ2",
  brotli: "BROTLI",
  zstd: "ZSTD",
  deflate: "DEFLATE",
  raw_deflate: "RAW_DEFLATE",
  lzip: "LZIP",
  lzma: "LZMA"
}

/** What the PUT will do with one file. */
export interface CompressionPlan {
  /** The file's compression (undefined: plain). */
  readonly source: Compression | undefined
  /** The stored object's compression (undefined: plain). */
  readonly target: Compression | undefined
  /** Whether the client gzips the file on the way up. */
  readonly gzip: boolean
  /** The object's name in the stage. */
  readonly targetName: string
}

/**
 * Decides the plan for one file. `sourceCompression` is the SOURCE_COMPRESSION option
 * (`auto_detect`, `none`, `gzip`, …); `head` the file's first bytes, used when auto-detecting
 * finds no telling extension. Returns a reason string for compressions PUT does not support.
 */
export const plan = (
  fileName: string,
  options: { readonly autoCompress: boolean; readonly sourceCompression: string },
  head: Uint8Array
): CompressionPlan | { readonly unsupported: string } => {
  const option = named[options.sourceCompression.toLowerCase()]
  if (option === undefined) return { unsupported: `Unknown SOURCE_COMPRESSION ${options.sourceCompression}` }
  const source: Compression | undefined =
    option === "NONE"
      ? undefined
      : option === "AUTO_DETECT"
        ? (fromExtension(fileName) ?? fromMagic(head))
        : option
  if (source !== undefined && unsupported.has(source)) {
    return { unsupported: `Files compressed with ${source} cannot be PUT (${fileName})` }
  }
  if (source === undefined && options.autoCompress) {
    return { source, target: "GZIP", gzip: true, targetName: `${fileName}.gz` }
  }
  return { source, target: source, gzip: false, targetName: fileName }
}
