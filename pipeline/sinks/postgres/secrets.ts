/**
 * Where a sink's database password is kept between runs. The desktop app implements it with Electron's
 * safeStorage (OS keychain: Keychain, DPAPI, libsecret) in main/ and hands it to the Workbench; the CLI and
 * the browser bridge have none, and read the password from an environment variable instead. Settings files
 * never hold a password.
 */
export interface SecretStore {
  get(id: string): Promise<string | null>;
  set(id: string, secret: string): Promise<void>;
  delete(id: string): Promise<void>;
}

/** The id a target's password is stored under: user, host, port and database (not the schema). */
export function passwordId(t: { user: string; host: string; port: number; database: string }): string {
  return `postgres://${encodeURIComponent(t.user)}@${t.host}:${t.port}/${encodeURIComponent(t.database)}`;
}
