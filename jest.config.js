// `npm test`'s one jest run over every package and the tools: one pool of workers takes the longest files first
// across the whole repository (test-sequencer.js), instead of one run per package, each ending on a tail of
// one worker. Three workers on the reference machine's two cores: the tests wait on PostgreSQL, Redis, child
// processes and browsers for about a fifth of the time (ADR 0092). `nx test <package>` still runs one package.
import { existsSync, readdirSync } from 'node:fs';

const root = new URL('./', import.meta.url);
// Options jest takes only at the root of a multi-project run; the packages' configs carry them for their own runs.
const RUN_OPTIONS = ['testSequencer', 'reporters', 'maxWorkers', 'forceExit', 'testTimeout'];

async function projectConfig(url) {
  const config = { ...(await import(url.href)).default };
  for (const option of RUN_OPTIONS) delete config[option];
  return config;
}

const configs = ['libs', 'apps']
  .flatMap((folder) =>
    readdirSync(new URL(`${folder}/`, root)).map((name) => new URL(`${folder}/${name}/jest.config.js`, root)),
  )
  .filter((url) => existsSync(url))
  .concat(new URL('tools/jest.config.js', root));
const preset = (await import('./jest.preset.js')).default;

export default {
  projects: await Promise.all(configs.map(projectConfig)),
  maxWorkers: 3,
  // A worker runs some seventy files in one run and ESM test modules are not all freed: one grew to 4 GB. A
  // worker past this after a file is replaced (its transforms are cached on disk).
  workerIdleMemoryLimit: '1536MB',
  testTimeout: preset.testTimeout,
  forceExit: preset.forceExit,
  testSequencer: preset.testSequencer,
  reporters: preset.reporters,
};
