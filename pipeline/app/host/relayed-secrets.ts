import { z } from 'zod';
import type { SecretStore } from '../../sinks/postgres/secrets';

/**
 * The Workbench runs in a utility process, but the OS keychain (Electron's safeStorage) is only reachable
 * from main: the host's SecretStore asks main for each operation over the relay's 'secret' question, and
 * main answers it from its keychain store with answerSecret().
 */
const SecretQuestion = z.discriminatedUnion('op', [
  z.object({ op: z.literal('get'), id: z.string().min(1) }).strict(),
  z.object({ op: z.literal('set'), id: z.string().min(1), secret: z.string().min(1) }).strict(),
  z.object({ op: z.literal('delete'), id: z.string().min(1) }).strict(),
]);
type SecretQuestion = z.infer<typeof SecretQuestion>;

export const SECRET_QUESTION = 'secret';

export function relayedSecretStore(ask: (what: string, payload: unknown) => Promise<unknown>): SecretStore {
  const question = (q: SecretQuestion) => ask(SECRET_QUESTION, q);
  return {
    async get(id) {
      const value = await question({ op: 'get', id });
      return typeof value === 'string' ? value : null;
    },
    async set(id, secret) {
      await question({ op: 'set', id, secret });
    },
    async delete(id) {
      await question({ op: 'delete', id });
    },
  };
}

/** Main's side: validates the host's question (it is another process's message) and runs it on the store. */
export function answerSecret(store: SecretStore): (payload: unknown) => Promise<string | null> {
  return async (payload) => {
    const parsed = SecretQuestion.safeParse(payload);
    if (!parsed.success) throw new Error('Refused: not a secret-store question.');
    const q = parsed.data;
    if (q.op === 'get') return store.get(q.id);
    if (q.op === 'set') await store.set(q.id, q.secret);
    else await store.delete(q.id);
    return null;
  };
}
