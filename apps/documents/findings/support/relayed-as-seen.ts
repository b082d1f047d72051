/**
 * A message of a document's Redis channel as a test's `RelayedMessageFilter` reads it (`JSON.parse(payload)`): the
 * fields the repair tests look at. The gateway's own union is its wire format and stays private to it.
 */
export interface RelayedAsSeen {
  kind: 'frame' | 'stored' | 'missing' | 'sent';
  origin: string;
  seq?: number;
  covers?: number;
  stored?: Record<string, number>;
}
