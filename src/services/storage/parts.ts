/**
 * How one object goes up to S3 or Azure: in one request or in parts, and how big a part is.
 *
 * These are two separate notions. The *multipart threshold* (the `threshold` of a PUT instruction,
 * 200 MB from Snowflake) decides whether an object goes up in parts at all. The *part size* is what
 * the SDKs buffer for each part (S3) or block (Azure) in flight, so an upload holds about
 * partSize × concurrency bytes whatever the file's size. Using the threshold as the part size
 * buffered up to 200 MB per part, 800 MB with four in flight.
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

export interface PartPlan {
  /** Bytes buffered per part or block. */
  readonly partSize: number
  /**
   * Whether the object goes up in parts: its size is unknown (a stream), or at least the
   * threshold. Without a threshold, when it does not fit in one part.
   */
  readonly multipart: boolean
}

/**
 * The part plan for an object of `size` bytes (undefined: not known up front). A known size raises
 * the part size just enough to stay within the part limit; an unknown one keeps the preferred size,
 * which caps a stream at preferred × maxParts (about 78 GiB on S3).
 */
export const planParts = (
  limits: PartLimits,
  size: number | undefined,
  threshold: number | undefined
): PartPlan => {
  const partSize = Math.max(limits.preferred, size === undefined ? 0 : Math.ceil(size / limits.maxParts))
  return { partSize, multipart: size === undefined || size >= (threshold ?? partSize) }
}
