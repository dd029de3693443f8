/** A key pair for key-pair logins in the matrix: the private key encrypted with a test passphrase. */
import { generateKeyPairSync } from "node:crypto"
import { passphrases } from "../../support/secrets.js"

const keys = generateKeyPairSync("rsa", { modulusLength: 2048 })

export const publicPem = keys.publicKey.export({ type: "spki", format: "pem" }).toString()

export const encryptedPrivatePem = keys.privateKey
  .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: passphrases.chaosKey })
  .toString()

/** The JWT a key-pair login body carries (`data.TOKEN`), and its decoded claims. */
export const jwtOfLoginBody = (
  body: string
): { readonly token: string; readonly iat: number; readonly exp: number } => {
  const token = String((JSON.parse(body) as { data: { TOKEN: string } }).data.TOKEN)
  const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as {
    iat: number
    exp: number
  }
  return { token, iat: claims.iat, exp: claims.exp }
}
