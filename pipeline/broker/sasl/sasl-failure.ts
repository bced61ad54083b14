/** A refused SASL step: its message goes to the client (SaslAuthenticate's errorMessage) and the log. */
export class SaslFailure extends Error {
  override name = 'SaslFailure';
}
