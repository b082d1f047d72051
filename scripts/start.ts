// `npm start`: starts every app's API (`serve`) and worker (`worker`) side by side, and stops them together.
// Each app's config has its own default port, so they do not collide.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PROCESSES = ['serve', 'worker'] as const;

const root = new URL('..', import.meta.url).pathname;
const appsDir = join(root, 'apps');

function scriptsOf(app: string): Record<string, string> {
  const manifest = join(appsDir, app, 'package.json');
  if (!existsSync(manifest)) return {};
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
}

const launches = (existsSync(appsDir) ? readdirSync(appsDir).sort() : []).flatMap((app) => {
  const scripts = scriptsOf(app);
  return PROCESSES.filter((name) => typeof scripts[name] === 'string').map((name) => ({ app, name }));
});

if (launches.length === 0) {
  console.log('npm start: no app under apps/ has a serve or worker script yet; nothing to start.');
} else {
  const children: ChildProcess[] = launches.map(({ app, name }) => {
    console.log(`starting apps/${app} (${name})`);
    return spawn('npm', ['run', name, '--workspace', `apps/${app}`], { stdio: 'inherit' });
  });
  const stopAll = (signal: NodeJS.Signals): void => {
    for (const child of children) child.kill(signal);
  };
  process.on('SIGINT', () => stopAll('SIGINT'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
}
