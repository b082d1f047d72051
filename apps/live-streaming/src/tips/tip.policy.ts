/** Tip amounts in cents: from 1.00 to 500.00 in the configured currency. */
export const TIP_AMOUNT_CENTS = { min: 100, max: 50_000 } as const;

/**
 * The client's Idempotency-Key: 8–100 characters of letters, digits, `-`, `_` and `:` (a UUID fits). It names
 * one tip of one tipper: the same key again returns that tip and never charges twice.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_:-]{8,100}$/;
