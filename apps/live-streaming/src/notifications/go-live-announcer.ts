import { Injectable } from '@nestjs/common';
import { writeOutboxMessage } from '@remedy/outbox';
import type { EntityManager } from 'typeorm';
import { GO_LIVE_TOPIC, type GoLiveNotice } from './go-live-notice.js';

/**
 * Tells a streamer's followers that the stream started (livestream:C1), from inside the go-live transaction.
 * It writes one outbox row and nothing else, so going live costs the same for 10 followers or 100,000: the
 * worker's relay publishes the row to the fan-out queue once the transaction commits, and a rollback leaves
 * no notice behind. The seam the C1 proof plugs the review's inline loop into.
 */
@Injectable()
export class GoLiveAnnouncer {
  async announce(transaction: EntityManager, notice: GoLiveNotice): Promise<void> {
    await writeOutboxMessage(transaction, { topic: GO_LIVE_TOPIC, payload: notice });
  }
}
