/** The outbox topic a go-live is written under, inside the transaction that makes the stream live. */
export const GO_LIVE_TOPIC = 'stream.started';

/** What a go-live carries to the worker: enough to word the notice without reading the stream again. */
export interface GoLiveNotice {
  streamId: string;
  streamerId: string;
  title: string;
  startedAt: string;
}
