/** Rowset decoding: rowtype-compiled converters and the lossless JSON reader. */

export { parseLosslessJson } from "./json.js"
export {
  type Column,
  compileRowDecoder,
  type DecodeOptions,
  type RowDecoder,
  uniqueKeys
} from "./RowDecoder.js"
