import { describe, expect, it } from 'vitest';
import { deriveScramCredential } from '../../../../pipeline/broker/sasl/scram-credential';
import { ScramServer } from '../../../../pipeline/broker/sasl/scram-server';
import { SaslFailure } from '../../../../pipeline/broker/sasl/sasl-failure';

// RFC 7677 §3: the SCRAM-SHA-256 exchange for user "user", password "pencil", with its nonces and salt.
const SALT = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
const CLIENT_FIRST = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO';
const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL =
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

function server(password: string, known = true): ScramServer {
  const credential = deriveScramCredential('SCRAM-SHA-256', password, SALT, 4096);
  return new ScramServer({
    mechanism: 'SCRAM-SHA-256',
    credentialOf: () => ({ credential, known }),
    serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  });
}

describe('the SCRAM server', () => {
  it("reproduces RFC 7677's SCRAM-SHA-256 example byte for byte", () => {
    const s = server('pencil');
    expect(s.respond(Buffer.from(CLIENT_FIRST)).reply.toString()).toBe(SERVER_FIRST);
    const final = s.respond(Buffer.from(CLIENT_FINAL));
    expect(final.reply.toString()).toBe(SERVER_FINAL);
    expect(final.done).toBe(true);
    expect(s.username).toBe('user');
  });

  it('refuses the same proof for another password, and for an unknown user', () => {
    for (const s of [server('pen'), server('pencil', false)]) {
      s.respond(Buffer.from(CLIENT_FIRST));
      expect(() => s.respond(Buffer.from(CLIENT_FINAL))).toThrow(SaslFailure);
    }
  });

  it('refuses a final message whose nonce or channel binding was changed', () => {
    const s = server('pencil');
    s.respond(Buffer.from(CLIENT_FIRST));
    expect(() => s.respond(Buffer.from(CLIENT_FINAL.replace('c=biws', 'c=eSws')))).toThrow(/channel binding/);
    const t = server('pencil');
    t.respond(Buffer.from(CLIENT_FIRST));
    expect(() => t.respond(Buffer.from(CLIENT_FINAL.replace('hNlF$k0', 'hNlF$k1')))).toThrow(/nonce/);
  });

  it('refuses channel binding it does not offer', () => {
    expect(() => server('pencil').respond(Buffer.from('p=tls-unique,,n=user,r=abc'))).toThrow(
      /channel binding/,
    );
  });
});
