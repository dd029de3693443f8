/**
 * Account names as the login request and the key-pair JWT want them (PROTOCOL.md §2.1, §3, §16.9).
 *
 * The configured account may carry a region / cloud / privatelink suffix
 * (`xy12345.us-east-1.aws`, `myorg-acct.privatelink`); only the part before the first `.` names the
 * account. For the old `.global` URLs the part before the first `-` is the account
 * (`acct-xyz.global` → `acct`); an org-qualified `org-acct` otherwise keeps its hyphen.
 */

const isGlobal = (suffixes: ReadonlyArray<string>): boolean =>
  suffixes.some((part) => part.toLowerCase() === "global")

/** The account identifier without suffixes, case kept: what Node sends as `ACCOUNT_NAME`. */
export const accountName = (account: string): string => {
  const [first = "", ...suffixes] = account.trim().split(".")
  if (isGlobal(suffixes)) {
    const dash = first.indexOf("-")
    return dash === -1 ? first : first.slice(0, dash)
  }
  return first
}

/** The account identifier upper-cased, as it appears in the JWT `iss` / `sub` claims. */
export const normalizeAccount = (account: string): string => accountName(account).toUpperCase()

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/

/**
 * The account named by a Snowflake host or URL (`https://myorg-acct.snowflakecomputing.com`,
 * `xy12345.us-east-1.aws.snowflakecomputing.com:443`), case kept. Undefined for hosts that do not
 * name an account (IP addresses, `localhost`, IPv6 literals), e.g. a local emulator.
 */
export const accountFromHost = (hostOrUrl: string): string | undefined => {
  let host = hostOrUrl.trim()
  const scheme = host.indexOf("://")
  if (scheme !== -1) host = host.slice(scheme + 3)
  host = host.split("/")[0] ?? ""
  if (host.startsWith("[")) return undefined
  host = host.split(":")[0] ?? ""
  if (host.length === 0 || host.toLowerCase() === "localhost" || ipv4.test(host)) return undefined
  const lower = host.toLowerCase()
  const domain = lower.indexOf(".snowflakecomputing.")
  const accountPart = domain === -1 ? host : host.slice(0, domain)
  const name = accountName(accountPart)
  return name.length === 0 ? undefined : name
}
