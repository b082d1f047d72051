/**
 * Polls `check` until it holds; throws with `what` after `timeoutMs` so a test fails instead of hanging. The
 * deadline only shapes how a failing test fails, so it is generous: on two loaded cores a passing wait that
 * includes starting a TypeScript child process took over 10 s (half jest's 60-s test timeout is the default).
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
