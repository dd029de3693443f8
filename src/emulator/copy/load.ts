/**
 * The DuckDB side of COPY INTO: rows are first staged as text in a temporary table, each cell is
 * then checked with TRY_CAST against the target column's type (and NOT NULL), so every bad row is
 * known with its first bad column before anything is inserted; the good rows go in with CAST.
 * A source DuckDB reads itself (nativeCsv.ts) is staged converted instead (`stageTyped`): one
 * conversion per cell, and only when no row is bad.
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import type { DuckDBConnection } from "@duckdb/node-api"
import { Effect } from "effect"
import { type DuckFailure, interruptible, queryRows, runStatement } from "../engine/duck.js"
import { DECLARED_LENGTHS } from "../engine/lengths.js"
import { quoteIdent, quoteString } from "../engine/lexer.js"
import type { ParsedRecord } from "./formats.js"
import { lengthError, limitedText } from "./lengths.js"

export interface TargetColumn {
  readonly name: string
  /** DuckDB's type name (`DECIMAL(38,0)`, `VARCHAR`, `JSON`, …). */
  readonly type: string
  readonly nullable: boolean
  /** A declared string length (VARCHAR(n), CHAR(n), …: engine/lengths.ts). */
  readonly maxLength?: number
}

export interface Target {
  /** Fully qualified DuckDB name of the table. */
  readonly sql: string
  /** The table name as Snowflake prints it in first_error_column_name. */
  readonly name: string
  readonly columns: ReadonlyArray<TargetColumn>
  /** TRUNCATECOLUMNS = TRUE: longer strings are cut to their column's length (lengths.ts). */
  readonly truncateColumns?: boolean
}

/** Looks the table up in DuckDB's catalog (temporary tables included). */
export const findTarget = (
  connection: DuckDBConnection,
  database: string,
  schema: string,
  table: string
): Effect.Effect<Target | undefined, DuckFailure> =>
  Effect.gen(function* () {
    const rows = yield* queryRows(
      connection,
      `SELECT database_name, schema_name, column_name, data_type, is_nullable, max_length
       FROM duckdb_columns() LEFT JOIN ${DECLARED_LENGTHS} USING (table_oid, column_name)
       WHERE table_name = ${quoteString(table)}
         AND ((database_name = ${quoteString(database)} AND schema_name = ${quoteString(schema)}) OR database_name = 'temp')
       ORDER BY database_name = 'temp' DESC, column_index`
    )
    if (rows.length === 0) return undefined
    const first = rows[0] as ReadonlyArray<unknown>
    const [db, sch] = [String(first[0]), String(first[1])]
    const columns = rows
      .filter((r) => r[0] === db && r[1] === sch)
      .map(
        (r): TargetColumn => ({
          name: String(r[2]),
          type: String(r[3]),
          nullable: r[4] === true,
          ...(r[5] === null ? {} : { maxLength: Number(r[5]) })
        })
      )
    return { sql: `${quoteIdent(db)}.${quoteIdent(sch)}.${quoteIdent(table)}`, name: table, columns }
  })

/** A conversion failure of one cell, in Snowflake's words. */
export interface CellError {
  readonly code: string
  readonly sqlState: string
  readonly message: string
}

export const conversionError = (type: string, value: string | null, maxLength?: number): CellError => {
  if (value === null)
    return { code: "100072", sqlState: "22000", message: "NULL result in a non-nullable column" }
  if (maxLength !== undefined) return lengthError(maxLength, value)
  const t = type.toUpperCase()
  if (t === "BOOLEAN")
    return { code: "100037", sqlState: "22018", message: `Boolean value '${value}' is not recognized` }
  if (t === "DATE") return { code: "100040", sqlState: "22007", message: `Date '${value}' is not recognized` }
  if (t.startsWith("TIMESTAMP"))
    return { code: "100035", sqlState: "22007", message: `Timestamp '${value}' is not recognized` }
  if (t.startsWith("TIME"))
    return { code: "100108", sqlState: "22007", message: `Time '${value}' is not recognized` }
  if (t === "BLOB")
    return {
      code: "100115",
      sqlState: "22000",
      message: `The following string is not a legal hex-encoded value: '${value}'`
    }
  return { code: "100038", sqlState: "22018", message: `Numeric value '${value}' is not recognized` }
}

const cell = (i: number) => quoteIdent(`c${i}`)

/**
 * The expression converting staged text to the column's type (VARIANT takes non-JSON text as a
 * string; a declared length cuts or rejects longer text: lengths.ts).
 */
const convert = (column: TargetColumn, i: number, tryCast: boolean, truncate: boolean): string => {
  const c = cell(i)
  if (column.maxLength !== undefined) return limitedText(c, column.maxLength, tryCast, truncate)
  const cast = tryCast ? "TRY_CAST" : "CAST"
  if (column.type === "JSON")
    return `CASE WHEN json_valid(${c}) THEN ${cast}(${c} AS JSON) ELSE to_json(${c}) END`
  if (column.type === "BLOB") return `${tryCast ? "try(" : "("}unhex(${c}))`
  if (column.type === "BOOLEAN")
    return `${cast}(CASE upper(trim(${c})) WHEN 'YES' THEN 'true' WHEN 'Y' THEN 'true' WHEN 'ON' THEN 'true' WHEN 'NO' THEN 'false' WHEN 'N' THEN 'false' WHEN 'OFF' THEN 'false' ELSE ${c} END AS BOOLEAN)`
  const wide = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(column.type)
  if (wide !== null && Number(wide[1]) > 18 && Number(wide[2]) <= 18) {
    // NUMBER is DECIMAL(38,s): DuckDB parses text into 128-bit decimals ~35× slower than into
    // 64-bit ones, so most values take the DECIMAL(18,s) path and only those that overflow it the
    // wide one (COALESCE evaluates its second argument only for rows where the first is NULL).
    return `COALESCE(TRY_CAST(trim(${c}) AS DECIMAL(18,${wide[2]})), ${cast}(trim(${c}) AS ${column.type}))`
  }
  if (column.type === "TIMESTAMP WITH TIME ZONE") {
    // Snowflake writes (and reads) a space before the offset — its default TIMESTAMP_TZ format is
    // `YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM` — where DuckDB takes a space as the start of a zone name
    return `${cast}(regexp_replace(trim(${c}), '\\s+([+-][0-9]{2}:?[0-9]{2})$', '\\1') AS ${column.type})`
  }
  if (/^(DECIMAL|INTEGER|BIGINT|HUGEINT|SMALLINT|TINYINT|DOUBLE|FLOAT|REAL)/.test(column.type))
    return `${cast}(trim(${c}) AS ${column.type})`
  return `${cast}(${c} AS ${column.type})`
}

/** Index of the first bad column of a staged row, NULL when the row is good. */
const badColumnSql = (target: Target): string => {
  const cases = target.columns.map((column, i) => {
    const nullCheck = column.nullable ? "" : `WHEN ${cell(i)} IS NULL THEN ${i} `
    const converted = convert(column, i, true, target.truncateColumns === true)
    return `${nullCheck}WHEN ${cell(i)} IS NOT NULL AND ${converted} IS NULL THEN ${i}`
  })
  return cases.length === 0 ? "NULL" : `CASE ${cases.join(" ")} END`
}

export interface BadCell {
  readonly row: number
  readonly column: number
  readonly value?: string | null
}

export interface StagedFile {
  /** Where the rows are read from: a staging table with `__row` and the text cells `c0`, `c1`, … */
  readonly table: string
  readonly rows: number
  /** Bad rows: staged row index → first bad column (and that cell's text, when it was read). */
  readonly bad: ReadonlyArray<BadCell>
  /**
   * Set when `table` instead holds the converted values `v0`, `v1`, … in file order, without
   * `__row`, and no bad rows (stageTyped).
   */
  readonly typed?: true
}

/** A file DuckDB's own reader staged as text cells, with the rows that have a bad cell. */
export interface NativeCells {
  readonly staged: StagedFile
  /**
   * The record of each row with a bad cell (its line, and where each field starts, for the
   * error's line and character), by staged row; the other rows are holes: nobody asks for them.
   */
  readonly records: ReadonlyArray<ParsedRecord>
}

const tempFile = (suffix: string) =>
  nodePath.join(os.tmpdir(), `effect-sf-copy-${randomBytes(8).toString("hex")}${suffix}`)

/**
 * `body` written to a temporary file (named with `suffix`) for DuckDB's readers, which read paths;
 * the file goes when `use` ends, however it ends.
 */
export const withBodyFile = <A, E>(
  body: Buffer,
  suffix: string,
  use: (file: string) => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.acquireUseRelease(
    Effect.promise(async () => {
      const file = tempFile(suffix)
      await fs.writeFile(file, body)
      return file
    }),
    use,
    (file) => Effect.promise(() => fs.rm(file, { force: true }))
  )

/**
 * Stages text records (cells already aligned to the target's columns) and finds the bad ones.
 * The rows go in through DuckDB's appender: no intermediate file, no JSON to write and re-parse.
 */
export const stageRecords = (
  connection: DuckDBConnection,
  target: Target,
  records: ReadonlyArray<ParsedRecord>
): Effect.Effect<StagedFile, DuckFailure> =>
  Effect.gen(function* () {
    const name = nextStagingName()
    const columns = target.columns.map((_, i) => `${cell(i)} VARCHAR`)
    yield* runStatement(
      connection,
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} (__row BIGINT${columns.map((c) => `, ${c}`).join("")})`
    )
    yield* appendRecords(connection, name, records, target.columns.length)
    return yield* checkStaged(connection, target, quoteIdent(name))
  })

/**
 * Appends records to the temporary table `name` (columns `__row`, then `width` text cells): the
 * record's index, then its cells (missing ones NULL) — DuckDB's appender, no SQL text per row.
 */
export const appendRecords = (
  connection: DuckDBConnection,
  name: string,
  records: ReadonlyArray<ParsedRecord>,
  width: number,
  /** A last column's value, the same for every record (the file a staged query read them from). */
  file?: string
): Effect.Effect<void, DuckFailure> =>
  interruptible(connection, async () => {
    const appender = await connection.createAppender(name, "main", "temp")
    try {
      records.forEach((record, row) => {
        appender.appendBigInt(BigInt(row))
        for (let i = 0; i < width; i++) {
          const value = record.cells[i]
          if (value === null || value === undefined) appender.appendNull()
          else appender.appendVarchar(value)
        }
        if (file !== undefined) appender.appendVarchar(file)
        appender.endRow()
      })
    } finally {
      appender.closeSync()
    }
  })

/** Stages a Parquet file: its columns matched to the target by name (or by position). */
export const stageParquet = (
  connection: DuckDBConnection,
  target: Target,
  body: Buffer,
  /** MATCH_BY_COLUMN_NAME's comparison; undefined matches by position. */
  matchName: ((name: string) => string) | undefined
): Effect.Effect<StagedFile, DuckFailure> =>
  withBodyFile(body, ".parquet", (file) =>
    Effect.gen(function* () {
      const described = yield* queryRows(
        connection,
        `SELECT name FROM parquet_schema(${quoteString(file)}) WHERE num_children IS NULL OR num_children = 0`
      )
      const names = described.map((r) => String(r[0]))
      const byKey = new Map(names.map((n) => [matchName?.(n) ?? n, n]))
      const types = new Map(
        (yield* queryRows(connection, `DESCRIBE SELECT * FROM read_parquet(${quoteString(file)})`)).map(
          (r) => [String(r[0]), String(r[1])]
        )
      )
      const single =
        target.columns.length === 1 && target.columns[0]?.type === "JSON" && matchName === undefined
      const exprs = target.columns.map((column, i) => {
        if (single) return `CAST(to_json(p) AS VARCHAR) AS ${cell(i)}`
        const source = matchName === undefined ? names[i] : byKey.get(matchName(column.name))
        if (source === undefined) return `CAST(NULL AS VARCHAR) AS ${cell(i)}`
        // bytes into BINARY: staged as hex, as the text path stages them (CAST would escape them)
        if (column.type === "BLOB" && types.get(source) === "BLOB")
          return `hex(p.${quoteIdent(source)}) AS ${cell(i)}`
        return `CAST(p.${quoteIdent(source)} AS VARCHAR) AS ${cell(i)}`
      })
      return yield* stageFrom(
        connection,
        target,
        `(SELECT row_number() OVER () - 1 AS __row, ${exprs.join(", ")} FROM read_parquet(${quoteString(file)}) p)`
      )
    })
  )

/**
 * A Parquet file's rows as documents — each row one JSON object of its columns, Snowflake's `$1`
 * for Parquet — in file order, for what reads staged records (COPY transforms, staged-file queries).
 */
export const parquetDocuments = (
  connection: DuckDBConnection,
  body: Buffer
): Effect.Effect<ReadonlyArray<ParsedRecord>, DuckFailure> =>
  withBodyFile(body, ".parquet", (file) =>
    Effect.gen(function* () {
      const rows = yield* queryRows(
        connection,
        `SELECT CAST(to_json(p) AS VARCHAR) FROM read_parquet(${quoteString(file)}) p`
      )
      return rows.map((r, i): ParsedRecord => ({ cells: [String(r[0])], line: i + 1, starts: [1] }))
    })
  )

let stagingCounter = 0

/** A fresh name for a temporary table of a load. */
export const nextStagingName = () => {
  stagingCounter += 1
  return `__sf_copy_${stagingCounter}`
}

/** Stages a source of text cells (`__row`, `c0`, `c1`, …) and finds its bad rows. */
export const stageFrom = (connection: DuckDBConnection, target: Target, source: string) =>
  Effect.gen(function* () {
    const table = quoteIdent(nextStagingName())
    yield* runStatement(connection, `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${source}`)
    return yield* checkStaged(connection, target, table)
  })

const value = (i: number) => quoteIdent(`v${i}`)

/**
 * Stages a source of text cells (`c0`, `c1`, …) converted, in one pass: each cell is converted
 * once, and a row's first bad column is found from the cells and their conversions. Undefined —
 * nothing left staged — when any row has a bad cell (the caller then takes a path that can say
 * where). Rows keep the source's order (CREATE TABLE AS and INSERT … SELECT keep it in DuckDB).
 */
export const stageTyped = (
  connection: DuckDBConnection,
  target: Target,
  source: string
): Effect.Effect<StagedFile | undefined, DuckFailure> =>
  Effect.gen(function* () {
    const table = quoteIdent(nextStagingName())
    const truncate = target.truncateColumns === true
    const converted = target.columns.map(
      (column, i) => `${convert(column, i, true, truncate)} AS ${value(i)}`
    )
    const bad = target.columns.map((column, i) => {
      const nullCheck = column.nullable ? "" : `WHEN ${cell(i)} IS NULL THEN ${i} `
      return `${nullCheck}WHEN ${cell(i)} IS NOT NULL AND ${value(i)} IS NULL THEN ${i}`
    })
    const staged: StagedFile = { table, rows: 0, bad: [], typed: true }
    // the table goes on any failure or interruption from its CREATE on (DROP … IF EXISTS)
    const counted = yield* runStatement(
      connection,
      `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${target.columns.map((_, i) => value(i)).join(", ")}, ` +
        `CASE ${bad.join(" ")} END AS __bad FROM (SELECT *, ${converted.join(", ")} FROM ${source})`
    ).pipe(
      Effect.zipRight(queryRows(connection, `SELECT count(*), count(__bad) FROM ${table}`)),
      Effect.onError(() => dropStaged(connection, staged))
    )
    if (Number(counted[0]?.[1] ?? 0) === 0) return { ...staged, rows: Number(counted[0]?.[0] ?? 0) }
    yield* dropStaged(connection, staged)
    return undefined
  })

/** Counts a staged table's rows and finds each bad row's first bad column. */
const checkStaged = (connection: DuckDBConnection, target: Target, table: string) =>
  Effect.gen(function* () {
    const countRows = yield* queryRows(connection, `SELECT count(*) FROM ${table}`)
    // each bad row's first bad cell comes with its text: reporting every error (VALIDATION_MODE,
    // bulkInsert's rejected records) then takes no query per row
    const cellText = `CASE bad ${target.columns.map((_, i) => `WHEN ${i} THEN ${cell(i)}`).join(" ")} END`
    const bad = yield* queryRows(
      connection,
      `SELECT __row, bad, ${cellText} FROM (SELECT *, ${badColumnSql(target)} AS bad FROM ${table}) WHERE bad IS NOT NULL ORDER BY __row`
    )
    return {
      table,
      rows: Number(countRows[0]?.[0] ?? 0),
      bad: bad.map((r) => ({
        row: Number(r[0]),
        column: Number(r[1]),
        value: r[2] === null || r[2] === undefined ? null : String(r[2])
      }))
    }
  })

/** Inserts the staged rows that are not in `skip` (row indexes); returns how many went in. */
export const insertStaged = (
  connection: DuckDBConnection,
  target: Target,
  staged: StagedFile,
  skip: ReadonlyArray<number>
): Effect.Effect<number, DuckFailure> => {
  const columns = target.columns.map((c) => quoteIdent(c.name)).join(", ")
  if (staged.typed === true)
    return runStatement(
      connection,
      `INSERT INTO ${target.sql} (${columns}) SELECT ${target.columns.map((_, i) => value(i)).join(", ")} FROM ${staged.table}`
    )
  const values = target.columns
    .map((c, i) => convert(c, i, false, target.truncateColumns === true))
    .join(", ")
  const where = skip.length === 0 ? "" : ` WHERE __row NOT IN (${skip.join(", ")})`
  return runStatement(
    connection,
    `INSERT INTO ${target.sql} (${columns}) SELECT ${values} FROM ${staged.table}${where} ORDER BY __row`
  )
}

export const dropStaged = (connection: DuckDBConnection, staged: StagedFile): Effect.Effect<void> =>
  runStatement(connection, `DROP TABLE IF EXISTS ${staged.table}`).pipe(Effect.ignore)

/** Reads a staged cell back (for error messages). */
export const stagedCell = (
  connection: DuckDBConnection,
  staged: StagedFile,
  row: number,
  column: number
): Effect.Effect<string | null, DuckFailure> =>
  queryRows(connection, `SELECT ${cell(column)} FROM ${staged.table} WHERE __row = ${row}`).pipe(
    Effect.map((rows) => {
      const v = rows[0]?.[0]
      return v === null || v === undefined ? null : String(v)
    })
  )
