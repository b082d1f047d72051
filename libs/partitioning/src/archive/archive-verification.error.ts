/** The archive read back does not match the partition: the partition is kept and the next run tries again. */
export class ArchiveVerificationError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`Archive ${key} does not match its partition: ${detail}`);
    this.name = 'ArchiveVerificationError';
  }
}
