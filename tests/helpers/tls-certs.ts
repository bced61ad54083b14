import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec';

export interface TestCerts {
  /** The CA certificate clients trust. */
  ca: string;
  /** The broker's certificate (signed by the CA, for 127.0.0.1 and localhost) and its key. */
  cert: string;
  key: string;
}

/** A throwaway CA and a broker certificate made with openssl in `dir`. */
export async function makeTestCerts(dir: string): Promise<TestCerts> {
  const p = (name: string) => join(dir, name);
  const openssl = async (args: string[]) => {
    const r = await run('openssl', args, { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  };
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=clickpulse-test-ca',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
  ]);
  await openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    p('broker.key'),
    '-out',
    p('broker.csr'),
  ]);
  writeFileSync(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl([
    'x509',
    '-req',
    '-in',
    p('broker.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    p('ext.cnf'),
    '-out',
    p('broker.pem'),
  ]);
  return { ca: p('ca.pem'), cert: p('broker.pem'), key: p('broker.key') };
}
