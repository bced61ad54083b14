import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretStore } from '../pipeline/sinks/postgres/secrets';

/**
 * The desktop app's SecretStore: each secret encrypted with Electron's safeStorage (the OS keychain's key:
 * macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux) and kept, only encrypted, in one JSON file
 * (e.g. <userData>/secrets.json). Pass it as WorkbenchOptions.secrets where the Workbench is created;
 * where the OS offers no encryption it refuses to store rather than writing plain text.
 */
export function keychainSecretStore(file: string): SecretStore {
  const load = async (): Promise<Record<string, string>> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const save = async (all: Record<string, string>) => {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.tmp`, JSON.stringify(all), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  };
  return {
    async get(id) {
      const sealed = (await load())[id];
      return sealed ? safeStorage.decryptString(Buffer.from(sealed, 'base64')) : null;
    },
    async set(id, secret) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error(
          'The OS keychain is not available: give the password in an environment variable instead.',
        );
      }
      await save({ ...(await load()), [id]: safeStorage.encryptString(secret).toString('base64') });
    },
    async delete(id) {
      const { [id]: _gone, ...rest } = await load();
      await save(rest);
    },
  };
}
