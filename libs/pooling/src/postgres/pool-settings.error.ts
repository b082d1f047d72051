/** A pool was configured with values that would silently misbehave (wait forever, never time out). */
export class PoolSettingsError extends Error {
  override readonly name = 'PoolSettingsError';

  constructor(
    readonly pool: string,
    readonly problems: readonly string[],
  ) {
    super(`pool '${pool}' settings are invalid: ${problems.join('; ')}`);
  }
}
