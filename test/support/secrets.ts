/**
 * Every secret the test suite hands to the client or the emulator, in one place, so the secret scan
 * (test/support/secretScan.ts) can look for them in every error the suite produces. Tests that
 * use a secret should import it from here; a literal secret that is not listed here is not scanned.
 *
 * Secrets made at run time (JWTs, session and master tokens) are caught by shape (`secretShapes`)
 * and, when a test learns one, by `registerSecret`.
 */

/** Passwords of the emulator's test users and the wrong ones tests try. */
export const passwords = {
  alice: "correct-horse-battery-staple",
  wrong: "wrong-pw-123",
  unitConfig: "hunter2-secret",
  cliUser: "lovelace",
  chaos: "chaos-pw-Zq7!xv"
} as const

export const passphrases = {
  integrationKey: "open sesame 42",
  integrationWrong: "not the passphrase",
  jwtUnit: "correct horse battery staple",
  chaosKey: "chaos passphrase 9f3"
} as const

export const tokens = {
  oauth: "oauth-access-token-xyz",
  pat: "pat-secret-token-abc",
  patWrong: "pat-wrong",
  unitSession: "session-token-xyz",
  chaosOauth: "chaos-oauth-token-8c1d",
  chaosPat: "chaos-pat-token-4e2a"
} as const

export interface KnownSecret {
  readonly label: string
  readonly value: string
}

const fixed: ReadonlyArray<KnownSecret> = [
  ...Object.entries(passwords).map(([k, value]) => ({ label: `password ${k}`, value })),
  ...Object.entries(passphrases).map(([k, value]) => ({ label: `passphrase ${k}`, value })),
  ...Object.entries(tokens).map(([k, value]) => ({ label: `token ${k}`, value }))
]

const registered: Array<KnownSecret> = []

/** Adds a secret learnt at run time (a JWT or token a test read off the wire) to the scan. */
export const registerSecret = (label: string, value: string): void => {
  if (value.length >= 8 && !registered.some((s) => s.value === value)) registered.push({ label, value })
}

export const knownSecrets = (): ReadonlyArray<KnownSecret> => [...fixed, ...registered]

/** Secrets recognisable by their shape: any of these in an error is a leak. */
export const secretShapes: ReadonlyArray<{ readonly label: string; readonly pattern: RegExp }> = [
  { label: "a JWT", pattern: /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}/ },
  {
    label: "a PEM private key",
    pattern: /-----BEGIN (?:RSA |ENCRYPTED )?PRIVATE KEY-----\s*[A-Za-z0-9+/]{16}/
  },
  { label: "an emulator session or master token", pattern: /ETMs(?:DgAAA|Master)[\w-]{16,}/ }
]
