import { spawn } from 'node:child_process';
import { once } from 'node:events';

const REGISTER = new URL('../../../scripts/register.js', import.meta.url).pathname;
const FIXTURE = new URL('./support/cluster-metrics.fixture.ts', import.meta.url).pathname;

test("a worker's scrape answers for every worker that answers for itself, aggregated, without waiting for one still starting", async () => {
  const child = spawn(process.execPath, ['--import', REGISTER, FIXTURE], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let exposition = '';
  child.stdout.on('data', (chunk: Buffer) => (exposition += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  const samples = Object.fromEntries(
    exposition
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(' ') as [string, string]),
  );
  expect({ code, samples }).toEqual({
    code: 0,
    samples: { readings_total: '30', sockets: '3', fullest_buffer_rows: '200' },
  });
});
