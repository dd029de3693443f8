/**
 * `Content-Encoding: aws-chunked` for s3rver. Current AWS SDKs (the one inside snowflake-sdk
 * among them) send streamed PutObject/UploadPart bodies in S3's chunked framing with a trailing
 * checksum (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`):
 *
 *   <hex size>[;chunk-signature=…]\r\n<bytes>\r\n … 0[;…]\r\n<trailer lines>\r\n\r\n
 *
 * Real S3 strips the framing; s3rver 3.7 predates it and would store the framing as the object.
 * This Koa middleware, put in front of s3rver's router, swaps the request stream for the decoded
 * payload and fixes the headers s3rver stores (length, encoding). Chunk signatures and trailing
 * checksums are not verified: s3rver does not verify payload hashes either.
 */
import type { IncomingMessage } from "node:http"
import { Transform, type TransformCallback } from "node:stream"

/** Strips aws-chunked framing from a byte stream. */
export class AwsChunkedDecoder extends Transform {
  private line: Array<number> = []
  /** Payload bytes left in the current chunk; -1 while reading a size line; -2 after the last. */
  private remaining = -1
  /** CR LF still to skip after a chunk's payload. */
  private skip = 0

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let i = 0
    while (i < chunk.length) {
      if (this.remaining === -2) break
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i)
        this.skip -= n
        i += n
      } else if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - i)
        this.push(chunk.subarray(i, i + n))
        this.remaining -= n
        i += n
        if (this.remaining === 0) {
          this.skip = 2
          this.remaining = -1
        }
      } else {
        const byte = chunk[i++]!
        if (byte !== 0x0a) {
          if (byte !== 0x0d) this.line.push(byte)
          continue
        }
        const header = Buffer.from(this.line).toString("latin1")
        this.line = []
        const size = Number.parseInt(header.split(";")[0]!.trim(), 16)
        if (!Number.isFinite(size)) {
          done(new Error(`bad aws-chunked size line: ${header}`))
          return
        }
        this.remaining = size === 0 ? -2 : size
      }
    }
    done()
  }
}

interface KoaContext {
  req: IncomingMessage
}

/** Koa middleware: decode aws-chunked request bodies before s3rver sees them. */
export const awsChunkedMiddleware = (ctx: KoaContext, next: () => Promise<unknown>): Promise<unknown> => {
  const headers = ctx.req.headers
  const encoding = headers["content-encoding"] ?? ""
  const sha = String(headers["x-amz-content-sha256"] ?? "")
  if (!encoding.includes("aws-chunked") && !sha.startsWith("STREAMING-")) return next()
  const rest = encoding
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "" && part !== "aws-chunked")
  if (rest.length > 0) headers["content-encoding"] = rest.join(", ")
  else delete headers["content-encoding"]
  const decoded = headers["x-amz-decoded-content-length"]
  if (decoded !== undefined) headers["content-length"] = String(decoded)
  // s3rver reads the body from ctx.req (and headers from the original request, fixed above)
  ctx.req = ctx.req.pipe(new AwsChunkedDecoder()) as unknown as IncomingMessage
  return next()
}
