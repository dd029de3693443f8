/**
 * The end of one file in a stream that carries several files' bytes one after another (the
 * Parquet files of one `bulkInsert`, parquet.ts `parquetFiles`): a zero-length piece, told apart
 * from other pieces by identity. Whoever writes the files out (bulkFiles.ts) closes the current
 * file there; a consumer that wants plain bytes loses nothing by skipping it.
 */
export const FILE_END: Uint8Array = new Uint8Array(0)

export const isFileEnd = (piece: Uint8Array): boolean => piece === FILE_END
