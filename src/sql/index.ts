export * as CopyInto from "./CopyInto.js"
export * as CopyOptions from "./CopyOptions.js"
export * as FileFormat from "./FileFormat.js"
