// The kata runner's measuring process: runs one finding's proof and reports to the parent over IPC. The
// learner's copies are served in place of the kata files by hooks the parent registers through NODE_OPTIONS
// (REMEDY_KATA_COPIES), so the finding and the service are loaded exactly as `npm test` loads them.
import { discoverFindingSuites, runMeasurement, startTestServers } from '@remedy/testing';
import { REPO_ROOT } from './kata-home.js';
import type { ProofMessage, ProofRequest } from './proof-messages.js';

function send(message: ProofMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function measure(request: ProofRequest): Promise<void> {
  const [found] = await discoverFindingSuites(REPO_ROOT, [request.app]);
  const finding = found?.suite.findings.find((candidate) => candidate.id === request.id);
  if (!found || !finding) throw new Error(`${request.id} is not a finding of apps/${request.app}`);
  for (const run of request.runs) {
    const variant = run === 'learner' ? 'flawed' : 'remediated';
    // A finding's progress lines name its variant; here the flawed run is the learner's code.
    const log = (line: string): void =>
      void send({
        type: 'log',
        line: line.replace(/^flawed\b/, 'yours').replace(/^remediated\b/, 'reference'),
      });
    const measured = await runMeasurement(found.suite, finding, variant, log);
    await send({
      type: 'result',
      result: {
        run,
        value: measured.value,
        details: measured.details ?? {},
        seconds: measured.durationMs / 1000,
        passed: finding.remediated(measured.value),
      },
    });
  }
}

const request = JSON.parse(process.argv[2] ?? '{}') as ProofRequest;
// PostgreSQL and Redis as `npm run demo` finds them (an embedded PostgreSQL when none answers), or the ones a
// jest run published to the environment.
const servers = await startTestServers({ postgresFallbacks: ['embedded', 'container'] });
try {
  await measure(request);
} catch (error) {
  await send({
    type: 'error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
} finally {
  await servers.stop();
}
// A learner's code may leave a timer or socket open; the parent has every result by now.
process.exit();
