/**
 * Tokens one device socket took from its device's rate bucket and has not spent yet. It lives and dies with
 * the session: a reconnect starts with none, so nothing is carried over to another instance.
 */
export class TokenLease {
  held = 0;
}
