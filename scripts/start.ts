// `npm start`: starts every app that has a `start` script, side by side, and stops them together.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const appsDir = join(root, 'apps');

const apps = existsSync(appsDir)
  ? readdirSync(appsDir)
      .sort()
      .filter((name) => {
        const manifest = join(appsDir, name, 'package.json');
        if (!existsSync(manifest)) return false;
        const scripts =
          (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
        return typeof scripts.start === 'string';
      })
  : [];

if (apps.length === 0) {
  console.log('npm start: no app under apps/ has a start script yet; nothing to start.');
} else {
  const children: ChildProcess[] = apps.map((app) => {
    console.log(`starting apps/${app}`);
    return spawn('npm', ['run', 'start', '--workspace', `apps/${app}`], { stdio: 'inherit' });
  });
  const stopAll = (signal: NodeJS.Signals): void => {
    for (const child of children) child.kill(signal);
  };
  process.on('SIGINT', () => stopAll('SIGINT'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
}
