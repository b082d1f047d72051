/** A clock the test moves by hand, so expiry is tested without waiting. */
export class TestClock {
  private nowMs = Date.UTC(2026, 0, 15, 9, 0, 0);

  readonly now = (): number => this.nowMs;

  advanceSeconds(seconds: number): void {
    this.nowMs += seconds * 1000;
  }
}
