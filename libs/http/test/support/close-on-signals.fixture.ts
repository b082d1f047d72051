// A process whose stand-in app closes as argv[2] says, under closeOnSignals (test/close-on-signals.spec.ts).
// It prints `ready` once the handlers are installed and `close <n>` each time the app's close() is called.
import type { INestApplicationContext } from '@nestjs/common';
import { closeOnSignals } from '../../src/close-on-signals.js';

type Behaviour = 'closes-on-second-signal' | 'fails' | 'hangs' | 'starts-after-signal';

const behaviour = process.argv[2] as Behaviour;
let closes = 0;
// The app's open handles (a listening server, pool sockets): they keep the process alive until it exits.
const openHandles = setInterval(() => undefined, 60_000);

function close(): Promise<void> {
  closes += 1;
  process.stdout.write(`close ${closes}\n`);
  switch (behaviour) {
    case 'closes-on-second-signal':
      // Still closing when the second signal arrives, which must neither kill the process nor close again.
      return new Promise((resolve) => process.once('SIGINT', () => setImmediate(resolve)));
    case 'fails':
      return Promise.reject(new Error('pool end failed'));
    case 'hangs':
      return new Promise(() => undefined);
    case 'starts-after-signal':
      clearInterval(openHandles);
      return Promise.resolve();
  }
}

const app = { close } as unknown as INestApplicationContext;
closeOnSignals(
  behaviour === 'starts-after-signal'
    ? new Promise((resolve) => process.once('SIGTERM', () => setImmediate(() => resolve(app))))
    : app,
  200,
);
process.stdout.write('ready\n');
