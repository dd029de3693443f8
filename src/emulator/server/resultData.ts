/**
 * The `data` object of a successful query response (PROTOCOL.md §5.3), built from an engine
 * result. Small results travel inline; large ones carry a small inline part plus chunks.
 */
import { type ColumnMeta, rowCount, type SessionContext, type StatementResult } from "../engine/Engine.js"
import type { ChunkedResult } from "./chunks.js"
import { type ParameterValue, responseParameters } from "./parameters.js"

export const rowtypeEntry = (c: ColumnMeta) => ({
  name: c.name,
  database: c.database,
  schema: c.schema,
  table: c.table,
  nullable: c.nullable,
  length: c.length,
  type: c.type,
  scale: c.scale,
  precision: c.precision,
  byteLength: c.byteLength,
  collation: c.collation
})

const isDml = (statementTypeId: number) => statementTypeId >= 0x3000 && statementTypeId < 0x4000

export interface ResultDataInput {
  readonly queryId: string
  readonly result: StatementResult
  readonly sessionParameters: ReadonlyMap<string, ParameterValue>
  /** Rows carried inline (all of them when there are no chunks). */
  readonly inlineRows: ReadonlyArray<ReadonlyArray<string | null>>
  readonly chunked: ChunkedResult | undefined
  readonly describeOnly: boolean
  readonly nowMillis: number
  readonly extra?: Readonly<Record<string, unknown>>
}

const finalNames = (context: SessionContext) => ({
  finalDatabaseName: context.database,
  finalSchemaName: context.schema,
  finalWarehouseName: context.warehouse,
  finalRoleName: context.role
})

export const resultData = (input: ResultDataInput): Record<string, unknown> => {
  const { result } = input
  const total = input.describeOnly ? 0 : rowCount(result)
  const data: Record<string, unknown> = {
    parameters: responseParameters(input.sessionParameters),
    rowtype: result.columns.map(rowtypeEntry),
    rowset: input.describeOnly ? [] : input.inlineRows,
    total,
    // Node streams exactly `returned` rows across inline rowset and chunks (§5.3).
    returned: total,
    queryId: input.queryId,
    databaseProvider: null,
    ...finalNames(result.context),
    numberOfBinds: result.numberOfBinds ?? 0,
    arrayBindSupported: result.statementTypeId === 0x3100,
    statementTypeId: result.statementTypeId,
    version: 1,
    sendResultTime: input.nowMillis,
    queryResultFormat: "json",
    ...input.extra
  }
  if (input.chunked !== undefined && !input.describeOnly) {
    data.chunks = input.chunked.chunks
    data.chunkHeaders = input.chunked.chunkHeaders
    data.qrmk = input.chunked.qrmk
  }
  if (isDml(result.statementTypeId) && result.stats !== undefined) data.stats = result.stats
  return data
}
