/** One charge for one tip. `idempotencyKey` is the same on every retry of that tip. */
export interface ChargeRequest {
  amountCents: number;
  currency: string;
  description: string;
  idempotencyKey: string;
}

export interface Charge {
  chargeId: string;
}

/** The provider said no (card declined): an answer, not a failure, and the same on every retry. */
export class PaymentDeclinedError extends Error {
  constructor(message = 'the payment was declined') {
    super(message);
    this.name = 'PaymentDeclinedError';
  }
}

/**
 * The seam of livestream:M3: the service charges through this port. It resolves with the charge, rejects with
 * PaymentDeclinedError, or with an HTTP exception saying why no answer came (502, 503 with Retry-After, 504).
 */
export abstract class PaymentProvider {
  abstract charge(request: ChargeRequest): Promise<Charge>;
}
