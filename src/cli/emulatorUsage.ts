/** The emulator command's usage line, apart from the command so that printing it loads no emulator. */
export const usage =
  "usage: effect-snowflake emulator [--port N (default 8080, 0 = free)] [--db FILE] [--chunk-rows N] [--users FILE] [--storage local|s3|gcs|azure (default local)] [--stage-dir DIR]"
