import { spawn } from 'node:child_process';
import { once } from 'node:events';

const REGISTER = new URL('../../../scripts/register.js', import.meta.url).pathname;
const FIXTURE = new URL('./support/close-on-signals.fixture.ts', import.meta.url).pathname;

/** Starts the fixture with `behaviour`, waits for its handlers, then sends it `signals`, each after `close 1` where given. */
async function stopFixture(
  behaviour: string,
  signals: readonly { signal: NodeJS.Signals; afterClose?: boolean }[],
) {
  const child = spawn(process.execPath, ['--import', REGISTER, FIXTURE, behaviour], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiting: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const check of waiting) check();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const printed = (line: string): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (stdout.split('\n').includes(line)) resolve();
      };
      waiting.push(check);
      check();
    });
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  await printed('ready');
  for (const { signal, afterClose } of signals) {
    if (afterClose === true) await printed('close 1');
    child.kill(signal);
  }
  const [code, killedBy] = await exited;
  return { code, killedBy, closes: stdout.split('\n').filter((line) => line.startsWith('close ')), stderr };
}

describe('closeOnSignals', () => {
  it.each([
    {
      title: 'closes the app once and exits 0 when a second signal arrives mid-close',
      behaviour: 'closes-on-second-signal',
      signals: [{ signal: 'SIGTERM' }, { signal: 'SIGINT', afterClose: true }],
      exit: { code: 0, stderr: '' },
    },
    {
      title: 'closes an app that finishes starting after the signal',
      behaviour: 'starts-after-signal',
      signals: [{ signal: 'SIGTERM' }],
      exit: { code: 0, stderr: '' },
    },
    {
      title: 'exits 1 and says why when closing fails',
      behaviour: 'fails',
      signals: [{ signal: 'SIGINT' }],
      exit: { code: 1, stderr: 'shutdown failed: pool end failed\n' },
    },
    {
      title: 'exits 1 when closing outlasts the grace period',
      behaviour: 'hangs',
      signals: [{ signal: 'SIGTERM' }],
      exit: { code: 1, stderr: 'shutdown took longer than 200 ms; exiting\n' },
    },
  ] as const)('$title', async ({ behaviour, signals, exit }) => {
    expect(await stopFixture(behaviour, signals)).toEqual({ ...exit, killedBy: null, closes: ['close 1'] });
  });
});
