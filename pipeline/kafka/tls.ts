import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import type { KafkaTarget } from './target';

/** node:tls options for a target (false: plain TCP), shared by the kafkajs client and the lean connection. */
export function tlsOptions(target: KafkaTarget): false | ConnectionOptions {
  if (!target.ssl) return false;
  if (target.tlsTrustCert) return pinnedTls(target.tlsTrustCert);
  if (!target.tlsCa) return {};
  try {
    return { ca: [readFileSync(target.tlsCa, 'utf8')] };
  } catch (error) {
    throw new Error(`Cannot read the TLS CA file ${target.tlsCa}: ${(error as Error).message}`);
  }
}

function pinnedTls(certFile: string): ConnectionOptions {
  const pem = readFileSync(certFile, 'utf8');
  const fingerprint = new X509Certificate(pem).fingerprint256;
  return {
    // Trust this certificate itself, even when issued by a private CA (a partial chain), and nothing else.
    ca: [pem],
    allowPartialTrustChain: true,
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      cert.fingerprint256 === fingerprint
        ? undefined
        : new Error('The broker presented another certificate than the one it was started with.'),
  };
}
