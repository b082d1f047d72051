import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  LiveListRepresentations,
  type HttpRepresentation,
} from '../src/streams/live-list.representations.js';
import { LiveStreamList } from '../src/streams/live-stream-list.js';
import type { StreamPageRequest } from '../src/streams/stream-page-query.dto.js';

/*
 * livestream:M5 — the design put CloudFront in front of video only: the stream list went out with no
 * Cache-Control and no validator, so no CDN or browser could keep it, and every request of every viewer ran
 * the list's query again.
 *
 * UncacheableLiveList takes LiveListRepresentations' place: the same route and body, no ETag, no
 * Cache-Control, no server-side cache.
 */
@Injectable()
export class UncacheableLiveList implements Pick<LiveListRepresentations, 'page' | 'invalidate'> {
  constructor(@Inject(LiveStreamList) private readonly list: LiveStreamList) {}

  async page(request: StreamPageRequest): Promise<HttpRepresentation> {
    return { body: JSON.stringify(await this.list.page(request)) };
  }

  invalidate(): Promise<void> {
    return Promise.resolve();
  }
}

/* Close cousins, put back into the remediated service. */

/** Headers and a strong ETag, but each request reads Postgres to compute them: a 304 still costs the query. */
@Injectable()
export class ValidatorOnlyLiveList extends UncacheableLiveList {
  override async page(request: StreamPageRequest): Promise<HttpRepresentation> {
    const { body } = await super.page(request);
    return {
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url')}"`,
      cacheControl: 'public, max-age=0, s-maxage=30',
    };
  }
}

/** The remediated cache whose version is never bumped: a stream that starts stays off the list until the TTL. */
@Injectable()
export class NeverInvalidatedLiveList extends LiveListRepresentations {
  override invalidate(): Promise<void> {
    return Promise.resolve();
  }
}
