/**
 * `COPY INTO <table>` as an immutable, pipeable value:
 *
 * ```ts
 * CopyInto.table("orders").pipe(
 *   CopyInto.from("@orders_stage/2026/"),
 *   CopyInto.fileFormat(FileFormat.csv({ skipHeader: 1 })),
 *   CopyInto.onError("CONTINUE"),
 *   CopyInto.purge(true)
 * )
 * ```
 *
 * `render` writes the statement: identifiers quoted where needed, string values as escaped
 * literals, the stage reference checked. A transform (`select`) takes column expressions over the
 * staged file (`$1`, `$2:name::string`, `METADATA$FILENAME`); they are SQL the caller writes, so
 * they are checked for statement terminators, comments and unbalanced quotes, not rewritten.
 */
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import { type Pipeable, pipeArguments } from "effect/Pipeable"
import { FileFormatError } from "../errors/index.js"
import * as CopyOptions from "./CopyOptions.js"
import * as FileFormat from "./FileFormat.js"
import { nameParts, quoteIdentifier, quoteIdentifierExact } from "./identifier.js"
import { stageReference } from "./stage.js"

export interface CopyInto extends Pipeable {
  /** Table name parts as SQL, quoted where needed (`["db", "schema", "\"My Table\""]` or `["ORDERS"]`). */
  readonly table: ReadonlyArray<string>
  /** Target columns as SQL, quoted where needed. */
  readonly columns: ReadonlyArray<string> | undefined
  readonly source: string | undefined
  readonly transform: ReadonlyArray<string> | undefined
  readonly fileFormat: FileFormat.FileFormat | undefined
  readonly options: CopyOptions.CopyOptions
}

const proto: Pick<CopyInto, "pipe"> = {
  pipe(this: CopyInto) {
    // biome-ignore lint/complexity/noArguments: Effect's pipeable protocol
    return pipeArguments(this, arguments)
  }
}

const make = (fields: Omit<CopyInto, "pipe">): CopyInto => Object.assign(Object.create(proto), fields)
const update = (self: CopyInto, patch: Partial<Omit<CopyInto, "pipe">>): CopyInto =>
  make({ ...self, ...patch })

/**
 * Starts a COPY INTO for a table: `"orders"`, `"db.schema.orders"`, `'other."My Table"'` (a
 * dotted name as SQL writes it, see `nameParts`) or the name's parts as an array.
 */
export const table = (name: string | ReadonlyArray<string>): CopyInto =>
  make({
    table: nameParts(name),
    columns: undefined,
    source: undefined,
    transform: undefined,
    fileFormat: undefined,
    options: CopyOptions.empty
  })

/** The stage (and path) to load from: `@stage/path/`, `@%table`, `@~`. */
export const from: {
  (stage: string): (self: CopyInto) => CopyInto
  (self: CopyInto, stage: string): CopyInto
} = dual(2, (self: CopyInto, stage: string) => update(self, { source: stage }))

/**
 * The target columns, in the order of the file's fields (or of the transform's expressions),
 * quoted where needed: `id` is the column ID, as in SQL.
 */
export const columns: {
  (columns: ReadonlyArray<string>): (self: CopyInto) => CopyInto
  (self: CopyInto, columns: ReadonlyArray<string>): CopyInto
} = dual(2, (self: CopyInto, columns: ReadonlyArray<string>) =>
  update(self, { columns: columns.map(quoteIdentifier) })
)

/** The target columns by their exact names, case included (as the table reports them). */
export const columnsExact: {
  (columns: ReadonlyArray<string>): (self: CopyInto) => CopyInto
  (self: CopyInto, columns: ReadonlyArray<string>): CopyInto
} = dual(2, (self: CopyInto, columns: ReadonlyArray<string>) =>
  update(self, { columns: columns.map(quoteIdentifierExact) })
)

/** Loads `SELECT <expressions> FROM <stage>` instead of the file's fields as they are. */
export const select: {
  (expressions: ReadonlyArray<string>): (self: CopyInto) => CopyInto
  (self: CopyInto, expressions: ReadonlyArray<string>): CopyInto
} = dual(2, (self: CopyInto, transform: ReadonlyArray<string>) => update(self, { transform }))

export const fileFormat: {
  (format: FileFormat.FileFormat): (self: CopyInto) => CopyInto
  (self: CopyInto, format: FileFormat.FileFormat): CopyInto
} = dual(2, (self: CopyInto, format: FileFormat.FileFormat) => update(self, { fileFormat: format }))

/** Merges copy options into the ones already set. */
export const options: {
  (options: CopyOptions.CopyOptions): (self: CopyInto) => CopyInto
  (self: CopyInto, options: CopyOptions.CopyOptions): CopyInto
} = dual(2, (self: CopyInto, options: CopyOptions.CopyOptions) =>
  update(self, { options: { ...self.options, ...options } })
)

const option =
  <K extends keyof CopyOptions.CopyOptions>(key: K) =>
  (value: NonNullable<CopyOptions.CopyOptions[K]>) =>
  (self: CopyInto): CopyInto =>
    options(self, { [key]: value } as CopyOptions.CopyOptions)

export const onError = option("onError")
export const purge = option("purge")
export const force = option("force")
export const sizeLimit = option("sizeLimit")
export const matchByColumnName = option("matchByColumnName")
export const pattern = option("pattern")
export const files = option("files")
/** Checks the files instead of loading them (see `CopyOptions.ValidationMode`, `Ingestion.validate`). */
export const validationMode = option("validationMode")

const fail = (message: string) => Either.left(new FileFormatError({ message }))

/**
 * No `;`, comment marker or unbalanced quote outside string literals and quoted identifiers. Both
 * kinds of quote are tracked: a `"` taken for plain text would let `"'"; DROP TABLE t; SELECT 1 AS "'"`
 * pass as one string literal while SQL reads an identifier, a statement break and a second statement.
 */
const safeExpression = (expression: string): boolean => {
  let quote: "'" | '"' | undefined
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]
    if (quote !== undefined) {
      if (quote === "'" && c === "\\") i++
      else if (c === quote) {
        if (expression[i + 1] === quote) i++
        else quote = undefined
      }
      continue
    }
    if (c === "'" || c === '"') quote = c
    else if (c === ";") return false
    else if ((c === "-" && expression[i + 1] === "-") || (c === "/" && expression[i + 1] === "*"))
      return false
  }
  return quote === undefined && expression.trim() !== ""
}

const formatsForMatchByName = new Set(["JSON", "PARQUET", "AVRO", "ORC", "CSV", "Named"])

/** Checks the whole statement; the value itself when it can be rendered. */
export const validate = (self: CopyInto): Either.Either<CopyInto, FileFormatError> =>
  Either.gen(function* () {
    if (self.table.length === 0 || self.table.length > 3 || self.table.some((p) => p === "" || p === '""')) {
      return yield* fail(`Not a table name: ${self.table.join(".")}`)
    }
    if (self.source === undefined) return yield* fail("COPY INTO needs a source stage (CopyInto.from)")
    yield* stageReference(self.source)
    if (self.columns !== undefined && self.columns.length === 0)
      return yield* fail("The column list is empty")
    if (self.transform !== undefined) {
      if (self.transform.length === 0) return yield* fail("The transform selects no expression")
      const bad = self.transform.find((e) => !safeExpression(e))
      if (bad !== undefined) return yield* fail(`Unsafe transform expression: ${JSON.stringify(bad)}`)
      if (self.options.matchByColumnName !== undefined && self.options.matchByColumnName !== "NONE") {
        return yield* fail("MATCH_BY_COLUMN_NAME cannot be combined with a transform")
      }
      if (self.options.validationMode !== undefined) {
        return yield* fail(
          "VALIDATION_MODE cannot be combined with a transform: Snowflake does not validate transforms"
        )
      }
    }
    if (self.fileFormat !== undefined) yield* FileFormat.validate(self.fileFormat)
    yield* CopyOptions.validate(self.options)
    const match = self.options.matchByColumnName
    if (match !== undefined && match !== "NONE") {
      const format = self.fileFormat
      if (format === undefined || !formatsForMatchByName.has(format._tag)) {
        return yield* fail(
          "MATCH_BY_COLUMN_NAME needs a JSON, PARQUET, AVRO, ORC or CSV (PARSE_HEADER) format"
        )
      }
      if (format._tag === "CSV" && format.options.parseHeader !== true) {
        return yield* fail("MATCH_BY_COLUMN_NAME on CSV needs PARSE_HEADER = TRUE")
      }
      if (self.columns !== undefined)
        return yield* fail("MATCH_BY_COLUMN_NAME cannot be combined with a column list")
    }
    return self
  })

/** The SQL text, after `validate`. */
export const render = (self: CopyInto): Either.Either<string, FileFormatError> =>
  Either.map(validate(self), (copy) => {
    const stage = Either.getOrThrow(stageReference(copy.source!))
    const target = copy.table.join(".")
    const columnList = copy.columns === undefined ? "" : ` (${copy.columns.join(", ")})`
    const source =
      copy.transform === undefined ? stage : `(SELECT ${copy.transform.join(", ")} FROM ${stage})`
    return [
      `COPY INTO ${target}${columnList}`,
      `FROM ${source}`,
      ...CopyOptions.renderSelection(copy.options),
      ...(copy.fileFormat === undefined ? [] : [`FILE_FORMAT = (${FileFormat.render(copy.fileFormat)})`]),
      ...CopyOptions.renderCopyOptions(copy.options)
    ].join("\n")
  })
