/** A partition policy that cannot work, with every problem found listed at once. */
export class PartitionPolicyError extends Error {
  constructor(
    readonly table: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid partition policy for "${table}": ${problems.join('; ')}`);
    this.name = 'PartitionPolicyError';
  }
}
