import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import { PaymentDeclinedError, PaymentProvider } from './payments/payment-provider.js';
import type { TipDto } from './tip.dto.js';
import { TipStore } from './tip-store.js';

/**
 * A viewer tips a stream's streamer. The tip row is claimed first under (tipper, Idempotency-Key), so a retried
 * request finds it; a settled tip is answered as it is, a pending one is charged (again) with the provider key
 * `tip_<id>`, which the provider charges at most once however many retries reach it.
 */
@Injectable()
export class TipsService {
  private readonly currency: string;

  constructor(
    private readonly store: TipStore,
    private readonly payments: PaymentProvider,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.currency = config.payments.currency;
  }

  async tip(
    tipperId: string,
    streamId: string,
    amountCents: number,
    idempotencyKey: string,
  ): Promise<TipDto> {
    const streamerId = await this.store.streamerOf(streamId);
    if (streamerId === undefined) throw new NotFoundException(`stream ${streamId} not found`);
    if (streamerId === tipperId) throw new BadRequestException('you cannot tip your own stream');
    const { tip } = await this.store.claim({
      streamId,
      streamerId,
      tipperId,
      amountCents,
      currency: this.currency,
      idempotencyKey,
    });
    if (tip.streamId !== streamId || tip.amountCents !== amountCents) {
      throw new ConflictException('this Idempotency-Key was used for a different tip');
    }
    if (tip.status === 'succeeded') return tip;
    if (tip.status === 'declined') throw declined();
    try {
      const { chargeId } = await this.payments.charge({
        amountCents,
        currency: tip.currency,
        description: `tip for stream ${streamId}`,
        idempotencyKey: `tip_${tip.id}`,
      });
      return await this.store.settle(tip.id, { status: 'succeeded', chargeId });
    } catch (error) {
      if (!(error instanceof PaymentDeclinedError)) throw error;
      await this.store.settle(tip.id, { status: 'declined' });
      throw declined();
    }
  }
}

function declined(): HttpException {
  return new HttpException('the payment was declined', HttpStatus.PAYMENT_REQUIRED);
}
