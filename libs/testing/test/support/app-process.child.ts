import { createInterface } from 'node:readline';

// An app process as the repo's children are: it prints its address as one JSON line once it "listens", answers
// commands on stdin, shuts down gracefully when its stdin closes and drains on SIGTERM; 'crash' fails at start-up.
if (process.argv[2] === 'crash') {
  process.stderr.write('config: DATABASE_URL is missing\n');
  process.exit(3);
}
// The handler is in place before the ready line: the parent may signal the moment it reads it.
process.once('SIGTERM', () => {
  process.stderr.write('draining on SIGTERM\n');
  process.exit(0);
});
process.stdout.write('booting\n{"url":"http://127.0.0.1:1"}\n');
const stdin = createInterface({ input: process.stdin });
stdin.on('line', (line) => process.stdout.write(`${JSON.stringify({ echo: line })}\n`));
stdin.once('close', () => process.stderr.write('stopped gracefully\n'));
