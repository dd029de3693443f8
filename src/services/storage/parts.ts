/**
 * How big a part (S3) or block (Azure) of an upload is: what the SDKs buffer for each one in
 * flight, so an upload holds about partSize × concurrency bytes whatever the file's size.
 *
 * Any object larger than one part goes up in parts, below the PUT instruction's multipart
 * `threshold` (200 MB from Snowflake) too: each part is buffered, so the SDK can retry it, and
 * memory stays flat — a single request for an object up to the threshold would have to be either
 * buffered whole or streamed without retries. It costs a few more requests. (Using the threshold
 * as the part size, as this client first did, buffered up to 200 MB per part, 800 MB with four in
 * flight.)
 */

const MiB = 1024 * 1024

export interface PartLimits {
  /** The part size used unless the object is too large for it within `maxParts`. */
  readonly preferred: number
  /** The store's largest part (block) count for one object. */
  readonly maxParts: number
}

/**
 * S3: 8 MiB parts, as the Python and Go drivers use (S3's minimum is 5 MiB, so parts of a
 * multipart upload are always valid), at most 10,000 of them.
 */
export const S3_PARTS: PartLimits = { preferred: 8 * MiB, maxParts: 10_000 }

/** Azure: 8 MiB blocks (`uploadStream`'s own default), at most 50,000 of them in one blob. */
export const AZURE_BLOCKS: PartLimits = { preferred: 8 * MiB, maxParts: 50_000 }

/**
 * The part size for an object of `size` bytes (undefined: not known up front): the preferred size,
 * raised for a known size just enough to stay within the part limit; a stream keeps the preferred
 * size, which caps it at preferred × maxParts (about 78 GiB on S3).
 */
export const partSize = (limits: PartLimits, size: number | undefined): number =>
  Math.max(limits.preferred, size === undefined ? 0 : Math.ceil(size / limits.maxParts))
