import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What the manifest checks read from an app's code: its config, its source, its entry files. */
export interface AppSource {
  name: string;
  /**
   * src/config.ts, the one file that reads the environment (DESIGN: no process.env elsewhere), and the sources
   * of @remedy/config, whose shared sections (HOST, DATABASE_URL, JWT_ACCESS_SECRET, …) it reads through.
   */
  config: string;
  /** Every .ts file under src/, concatenated: where metric names, gateway names and queue names are. */
  source: string;
  /** The text of an entry file relative to the app (`src/main.ts`), or undefined when there is none. */
  entry(path: string): string | undefined;
}

export const REPO_ROOT = resolve(new URL('../../../..', import.meta.url).pathname);

/** The app's code, or undefined when apps/<name> is not in this tree (an app whose manifests came first). */
export function readAppSource(name: string): AppSource | undefined {
  const root = join(REPO_ROOT, 'apps', name);
  if (!existsSync(join(root, 'src'))) return undefined;
  return {
    name,
    config: [readFileSync(join(root, 'src/config.ts'), 'utf8'), configLibrarySource()].join('\n'),
    source: typeScriptUnder(join(root, 'src')),
    entry: (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined),
  };
}

/** The apps in the tree (apps/<name> directories). */
export function appsInTree(): string[] {
  return readdirSync(join(REPO_ROOT, 'apps'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/** Every library's source, for metrics a library declares on the apps' behalf. */
export function librarySource(): string {
  return readdirSync(join(REPO_ROOT, 'libs'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(REPO_ROOT, 'libs', entry.name, 'src')))
    .map((entry) => typeScriptUnder(join(REPO_ROOT, 'libs', entry.name, 'src')))
    .join('\n');
}

/** @remedy/config's reader and sections: the variable names every app's config reads through it. */
function configLibrarySource(): string {
  return typeScriptUnder(join(REPO_ROOT, 'libs/config/src'));
}

function typeScriptUnder(directory: string): string {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.spec.ts'))
    .map((path) => readFileSync(join(directory, path), 'utf8'))
    .join('\n');
}
