/**
 * Which messages of a document's Redis channel the gateway takes: all of them in production. Redis pub/sub is
 * at-most-once (a subscriber reconnecting misses what was published meanwhile); a test plugs a filter here that
 * drops one, to stand for that loss (ADR 0086).
 */
export type RelayedMessageFilter = (documentId: string, payload: string) => boolean;

export const RELAYED_MESSAGE_FILTER = Symbol('RELAYED_MESSAGE_FILTER');

export const takeEveryRelayedMessage: RelayedMessageFilter = () => true;
