/** How snowflake-sdk bench clients connect (apart from our client's modules: peak RSS is measured). */
import snowflake from "snowflake-sdk"
import { PASSWORD, USER } from "./shared.js"

/** snowflake-sdk, quiet, connected to the emulator at `url` as the bench user. */
export const connectSdk = async (url: string): Promise<snowflake.Connection> => {
  snowflake.configure({ logLevel: "OFF" })
  const connection = snowflake.createConnection({
    accessUrl: url,
    account: "emulator",
    username: USER,
    password: PASSWORD
  })
  await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())))
  return connection
}
