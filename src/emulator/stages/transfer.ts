/**
 * The transfer instructions PUT and GET answer with (§9.2): no rows, a `data` object the driver
 * acts on by itself. `smkId` goes out as a raw JSON number above 2^53, like Snowflake's (the
 * server's JSON writer turns the `RAW_NUMBER` marker into bare digits).
 */
import { createHash } from "node:crypto"
import * as nodePath from "node:path"

/** A string the emulator's JSON writer emits as the bare number that follows the marker. */
export const RAW_NUMBER = "\u0001raw-number:"
export const rawNumber = (digits: string) => `${RAW_NUMBER}${digits}`

/** A stable id above 2^53 for a stage master key. */
export const smkIdOf = (masterKey: Buffer): string =>
  (2n ** 53n + BigInt(`0x${createHash("sha256").update(masterKey).digest("hex").slice(0, 14)}`)).toString()

const material = (masterKey: Buffer, queryId: string) => ({
  queryStageMasterKey: masterKey.toString("base64"),
  queryId,
  smkId: rawNumber(smkIdOf(masterKey))
})

export interface PutRequest {
  readonly source: string
  readonly parallel: number
  readonly autoCompress: boolean
  readonly sourceCompression: string
  readonly overwrite: boolean
}

export const uploadData =
  (put: PutRequest, stageInfo: Record<string, unknown>, masterKey: Buffer | undefined) =>
  (queryId: string): Record<string, unknown> => ({
    command: "UPLOAD",
    src_locations: [put.source],
    parallel: put.parallel,
    threshold: 209715200,
    autoCompress: put.autoCompress,
    overwrite: put.overwrite,
    sourceCompression: put.sourceCompression,
    clientShowEncryptionParameter: false,
    queryId,
    encryptionMaterial: masterKey === undefined ? null : material(masterKey, queryId),
    stageInfo,
    uploadInfo: stageInfo,
    presignedUrl: null,
    presignedUrls: [],
    kind: null,
    operation: "Node",
    statementTypeId: 0x4a00,
    rowtype: [],
    rowset: []
  })

export const downloadData =
  (
    files: ReadonlyArray<string>,
    localLocation: string,
    parallel: number,
    stageInfo: Record<string, unknown>,
    masterKey: Buffer | undefined
  ) =>
  (queryId: string): Record<string, unknown> => ({
    command: "DOWNLOAD",
    src_locations: files,
    localLocation:
      localLocation.endsWith(nodePath.sep) || localLocation === ""
        ? localLocation
        : `${localLocation}${nodePath.sep}`,
    parallel,
    threshold: 209715200,
    autoCompress: false,
    overwrite: true,
    sourceCompression: "none",
    clientShowEncryptionParameter: false,
    queryId,
    encryptionMaterial: masterKey === undefined ? null : files.map(() => material(masterKey, queryId)),
    stageInfo,
    presignedUrl: null,
    presignedUrls: [],
    kind: null,
    operation: "Node",
    statementTypeId: 0x4b00,
    rowtype: [],
    rowset: []
  })
