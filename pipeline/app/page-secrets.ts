import { ApiError, type CallName, type ParsedRequest } from '../contract';
import type { PathPolicy } from './path-policy';

/** The variables a window may name as a PostgreSQL password: libpq's own and the app's. */
const PAGE_PASSWORD_VARIABLE = /^(PGPASSWORD|CLICKPULSE_[A-Z0-9_]+)$/;

const SINK_CALLS = new Set<string>([
  'sink.postgres.test',
  'sink.postgres.start',
  'sink.postgres.sync',
  'sink.postgres.rebuild',
  'sink.postgres.savePassword',
]);

/**
 * For calls from a page: the sink reads its password from an environment variable the request names and
 * sends it to the host the request names, so a page naming any variable could send the app's environment
 * (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, …) to a server of its choosing. A page may name only PGPASSWORD or
 * a CLICKPULSE_ variable; the CLI, run by the user in their own shell, may name any.
 */
export function checkPageSecrets<K extends CallName>(
  policy: PathPolicy,
  name: K,
  request: ParsedRequest<K>,
): void {
  if (!policy.servesAPage || !SINK_CALLS.has(name)) return;
  const target = (request as { target?: { passwordEnv?: string } }).target;
  const variable = target?.passwordEnv;
  if (variable === undefined || PAGE_PASSWORD_VARIABLE.test(variable)) return;
  throw new ApiError({
    code: 'FORBIDDEN',
    message: `Refused: the app reads a PostgreSQL password only from PGPASSWORD or a variable named CLICKPULSE_…, not ${variable}, which may hold another secret; set the password in one of those (or save it in the keychain).`,
  });
}
