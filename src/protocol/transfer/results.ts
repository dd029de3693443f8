/**
 * The rows PUT and GET report, one per file, in the Node driver's column shapes (PROTOCOL.md §9.5).
 */
import type { Compression } from "./compression.js"

export type UploadStatus = "UPLOADED" | "SKIPPED" | "ERROR"
export type DownloadStatus = "DOWNLOADED" | "ERROR"

export interface UploadResult {
  readonly source: string
  readonly target: string
  readonly sourceSize: number
  /** Size after compression, before encryption; 0 for SKIPPED files. */
  readonly targetSize: number
  readonly sourceCompression: Compression | null
  readonly targetCompression: Compression | null
  readonly status: UploadStatus
  readonly message: string | undefined
}

export interface DownloadResult {
  readonly file: string
  readonly size: number
  readonly status: DownloadStatus
  readonly message: string | undefined
}
