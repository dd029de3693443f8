/**
 * File formats for COPY INTO (`FILE_FORMAT = (TYPE = CSV …)`), as immutable values: CSV, JSON,
 * PARQUET, AVRO, ORC, XML with their options, or a named file format. `render` writes the SQL
 * (string options as escaped literals, names quoted where needed); `validate` checks the options
 * before anything is sent and fails with `FileFormatError`.
 */
import * as Either from "effect/Either"
import { FileFormatError } from "../errors/index.js"
import { literal, quoteIdentifier } from "./identifier.js"

export type CsvCompression = "AUTO" | "GZIP" | "BZ2" | "BROTLI" | "ZSTD" | "DEFLATE" | "RAW_DEFLATE" | "NONE"
export type ParquetCompression = "AUTO" | "LZO" | "SNAPPY" | "NONE"
/** How BINARY columns are written in text files. */
export type BinaryFormat = "HEX" | "BASE64" | "UTF8"

export interface CsvOptions {
  readonly compression?: CsvCompression
  readonly recordDelimiter?: string
  readonly fieldDelimiter?: string
  readonly skipHeader?: number
  readonly parseHeader?: boolean
  readonly fieldOptionallyEnclosedBy?: string
  readonly escape?: string
  readonly escapeUnenclosedField?: string
  readonly nullIf?: ReadonlyArray<string>
  readonly emptyFieldAsNull?: boolean
  readonly errorOnColumnCountMismatch?: boolean
  readonly trimSpace?: boolean
  readonly skipBlankLines?: boolean
  readonly dateFormat?: string
  readonly timeFormat?: string
  readonly timestampFormat?: string
  readonly binaryFormat?: BinaryFormat
  readonly encoding?: string
  /** Skip a UTF-8 byte-order mark at the start of a file (Snowflake's default: TRUE). */
  readonly skipByteOrderMark?: boolean
  /** Replace invalid UTF-8 with U+FFFD instead of failing the record. */
  readonly replaceInvalidCharacters?: boolean
}

export interface JsonOptions {
  readonly compression?: CsvCompression
  readonly stripOuterArray?: boolean
  readonly stripNullValues?: boolean
  readonly allowDuplicate?: boolean
  readonly ignoreUtf8Errors?: boolean
  readonly dateFormat?: string
  readonly timeFormat?: string
  readonly timestampFormat?: string
  readonly binaryFormat?: BinaryFormat
  readonly nullIf?: ReadonlyArray<string>
  readonly skipByteOrderMark?: boolean
  readonly replaceInvalidCharacters?: boolean
  /** Read numbers with a leading 0 as octal. */
  readonly enableOctal?: boolean
}

export interface ParquetOptions {
  readonly compression?: ParquetCompression
  readonly binaryAsText?: boolean
  readonly useLogicalType?: boolean
  readonly trimSpace?: boolean
  readonly nullIf?: ReadonlyArray<string>
}

export interface AvroOptions {
  readonly compression?: CsvCompression
  readonly trimSpace?: boolean
  readonly nullIf?: ReadonlyArray<string>
}

export interface OrcOptions {
  readonly trimSpace?: boolean
  readonly nullIf?: ReadonlyArray<string>
}

export interface XmlOptions {
  readonly compression?: CsvCompression
  readonly preserveSpace?: boolean
  readonly stripOuterElement?: boolean
  readonly disableSnowflakeData?: boolean
  readonly disableAutoConvert?: boolean
  readonly ignoreUtf8Errors?: boolean
}

export type FileFormat =
  | { readonly _tag: "CSV"; readonly options: CsvOptions }
  | { readonly _tag: "JSON"; readonly options: JsonOptions }
  | { readonly _tag: "PARQUET"; readonly options: ParquetOptions }
  | { readonly _tag: "AVRO"; readonly options: AvroOptions }
  | { readonly _tag: "ORC"; readonly options: OrcOptions }
  | { readonly _tag: "XML"; readonly options: XmlOptions }
  | { readonly _tag: "Named"; readonly name: string }

export const csv = (options: CsvOptions = {}): FileFormat => ({ _tag: "CSV", options })
export const json = (options: JsonOptions = {}): FileFormat => ({ _tag: "JSON", options })
export const parquet = (options: ParquetOptions = {}): FileFormat => ({ _tag: "PARQUET", options })
export const avro = (options: AvroOptions = {}): FileFormat => ({ _tag: "AVRO", options })
export const orc = (options: OrcOptions = {}): FileFormat => ({ _tag: "ORC", options })
export const xml = (options: XmlOptions = {}): FileFormat => ({ _tag: "XML", options })
/** A file format created with CREATE FILE FORMAT (`db.schema.name` parts are quoted one by one). */
export const named = (name: string): FileFormat => ({ _tag: "Named", name })

/** Option keys in camelCase → Snowflake's names. */
const sqlName = (key: string) => key.replace(/[A-Z0-9]+/g, (m) => `_${m}`).toUpperCase()

/** Options whose value is a keyword, not a string literal. */
const keywordOptions = new Set(["compression", "binaryFormat"])

const renderValue = (key: string, value: unknown): string => {
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE"
  if (typeof value === "number") return String(value)
  if (Array.isArray(value)) return `(${value.map((v) => literal(String(v))).join(", ")})`
  if (keywordOptions.has(key)) return String(value)
  // NONE is a keyword for delimiters and enclosures.
  if (value === "NONE") return "NONE"
  return literal(String(value))
}

const renderOptions = (options: object): ReadonlyArray<string> =>
  Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${sqlName(key)} = ${renderValue(key, value)}`)

/** `TYPE = CSV FIELD_DELIMITER = ',' …` or `FORMAT_NAME = name`: what goes inside `FILE_FORMAT = (…)`. */
export const render = (format: FileFormat): string =>
  format._tag === "Named"
    ? `FORMAT_NAME = ${format.name.split(".").map(quoteIdentifier).join(".")}`
    : [`TYPE = ${format._tag}`, ...renderOptions(format.options)].join(" ")

const fail = (message: string) => Either.left(new FileFormatError({ message }))

const compressions: Readonly<Record<string, ReadonlyArray<string>>> = {
  CSV: ["AUTO", "GZIP", "BZ2", "BROTLI", "ZSTD", "DEFLATE", "RAW_DEFLATE", "NONE"],
  JSON: ["AUTO", "GZIP", "BZ2", "BROTLI", "ZSTD", "DEFLATE", "RAW_DEFLATE", "NONE"],
  AVRO: ["AUTO", "GZIP", "BZ2", "BROTLI", "ZSTD", "DEFLATE", "RAW_DEFLATE", "NONE"],
  XML: ["AUTO", "GZIP", "BZ2", "BROTLI", "ZSTD", "DEFLATE", "RAW_DEFLATE", "NONE"],
  PARQUET: ["AUTO", "LZO", "SNAPPY", "NONE"]
}

const knownKeys: Readonly<Record<string, ReadonlyArray<string>>> = {
  CSV: [
    "compression",
    "recordDelimiter",
    "fieldDelimiter",
    "skipHeader",
    "parseHeader",
    "fieldOptionallyEnclosedBy",
    "escape",
    "escapeUnenclosedField",
    "nullIf",
    "emptyFieldAsNull",
    "errorOnColumnCountMismatch",
    "trimSpace",
    "skipBlankLines",
    "dateFormat",
    "timeFormat",
    "timestampFormat",
    "binaryFormat",
    "encoding",
    "skipByteOrderMark",
    "replaceInvalidCharacters"
  ],
  JSON: [
    "compression",
    "stripOuterArray",
    "stripNullValues",
    "allowDuplicate",
    "ignoreUtf8Errors",
    "dateFormat",
    "timeFormat",
    "timestampFormat",
    "binaryFormat",
    "nullIf",
    "skipByteOrderMark",
    "replaceInvalidCharacters",
    "enableOctal"
  ],
  PARQUET: ["compression", "binaryAsText", "useLogicalType", "trimSpace", "nullIf"],
  AVRO: ["compression", "trimSpace", "nullIf"],
  ORC: ["trimSpace", "nullIf"],
  XML: [
    "compression",
    "preserveSpace",
    "stripOuterElement",
    "disableSnowflakeData",
    "disableAutoConvert",
    "ignoreUtf8Errors"
  ]
}

const singleCharacter = (value: string | undefined) =>
  value === undefined || value === "NONE" || [...value].length === 1 || /^\\[a-z0-9]+$/i.test(value)

/** Checks a format's options; the format itself when they are valid. */
export const validate = (format: FileFormat): Either.Either<FileFormat, FileFormatError> => {
  if (format._tag === "Named") {
    return format.name.trim() === "" ? fail("A named file format needs a name") : Either.right(format)
  }
  const options = format.options as Record<string, unknown>
  const unknown = Object.keys(options).filter(
    (key) => options[key] !== undefined && !knownKeys[format._tag]!.includes(key)
  )
  if (unknown.length > 0) return fail(`${format._tag} has no option ${unknown.map(sqlName).join(", ")}`)
  const compression = options.compression
  if (compression !== undefined && !compressions[format._tag]?.includes(String(compression))) {
    return fail(`COMPRESSION = ${String(compression)} is not valid for ${format._tag}`)
  }
  const binary = options.binaryFormat
  if (binary !== undefined && !["HEX", "BASE64", "UTF8"].includes(String(binary))) {
    return fail(`BINARY_FORMAT = ${String(binary)} is not valid (HEX, BASE64 or UTF8)`)
  }
  if (format._tag === "CSV") {
    const o = format.options
    if (o.skipHeader !== undefined && (!Number.isInteger(o.skipHeader) || o.skipHeader < 0)) {
      return fail(`SKIP_HEADER must be a non-negative integer, got ${o.skipHeader}`)
    }
    if (o.parseHeader === true && o.skipHeader !== undefined && o.skipHeader > 0) {
      return fail("PARSE_HEADER = TRUE cannot be combined with SKIP_HEADER")
    }
    if (!singleCharacter(o.fieldOptionallyEnclosedBy))
      return fail("FIELD_OPTIONALLY_ENCLOSED_BY must be one character or NONE")
    if (!singleCharacter(o.escape) || !singleCharacter(o.escapeUnenclosedField))
      return fail("ESCAPE must be one character or NONE")
    if (o.fieldDelimiter === "") return fail("FIELD_DELIMITER must not be empty")
    if (o.fieldDelimiter !== undefined && o.fieldDelimiter === o.recordDelimiter) {
      return fail("FIELD_DELIMITER and RECORD_DELIMITER must differ")
    }
  }
  return Either.right(format)
}
