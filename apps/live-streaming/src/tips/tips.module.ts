import { Module } from '@nestjs/common';
import { GuardedPaymentProvider } from './payments/guarded-payment-provider.js';
import { PaymentProvider } from './payments/payment-provider.js';
import { TipStore } from './tip-store.js';
import { TipsController } from './tips.controller.js';
import { TipsService } from './tips.service.js';

@Module({
  controllers: [TipsController],
  providers: [TipsService, TipStore, { provide: PaymentProvider, useClass: GuardedPaymentProvider }],
})
export class TipsModule {}
