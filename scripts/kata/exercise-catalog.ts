import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Finding, FindingKind, Metric } from '@remedy/testing';
import { exercisesDir, REPO_ROOT } from './kata-home.js';

/**
 * A kata file the flawed run plugs into the service, the learner's copy of it, and its reference solution: the
 * same file with the fix in it (`katas/<name>.solution.ts`), which `solution` diffs against the copy.
 */
export interface KataFile {
  kata: string;
  copy: string;
  solution: string;
}

/** What the runner shows of a finding: plain data, so the catalog can be cached (the proof runs the real one). */
export interface FindingSummary {
  title: string;
  kind: FindingKind;
  why?: string;
  explanation?: string;
  fix?: string[];
  metric: Metric;
  seam: string;
  difficulty?: 1 | 2 | 3;
  hints?: string[];
  /** The pass condition: the body of the finding's `remediated` predicate. */
  target: string;
  timeoutMs: number;
}

/**
 * One exercise per app finding. A kata: a before-after finding with hints and a difficulty, whose seam names
 * the kata file(s) the flawed run plugs in; the learner fixes their copy until the proof passes. A reading
 * exercise: every other finding (design, after-only, or a flaw that lives in configuration), to be read in the
 * system's document and the ledger.
 */
export interface Exercise {
  id: string;
  app: string;
  finding: FindingSummary;
  kind: 'kata' | 'reading';
  files: KataFile[];
  /** The original design, in the project's words (docs/systems/<app>.md). */
  systemDoc: string;
  /** The finding's ledger entry: fix, proof and measured numbers (docs/findings/<app>.md). */
  ledger: string;
}

interface CatalogEntry {
  id: string;
  app: string;
  finding: FindingSummary;
  /** Kata files, relative to the repository. */
  katas: string[];
}

const APPS_DIR = join(REPO_ROOT, 'apps');
const CACHE_FILE = join(REPO_ROOT, 'node_modules', '.cache', 'remedy-kata', 'catalog.json');

/** Kata files named in a seam: `katas/<name>.flawed.ts`, or `katas/<prefix>` for every kata of that prefix. */
export function kataFilesOfSeam(seam: string, katasDir: string): string[] {
  if (!existsSync(katasDir)) return [];
  const available = readdirSync(katasDir).filter((name) => name.endsWith('.flawed.ts'));
  const named = [...seam.matchAll(/katas\/([a-z0-9-]+)/g)].map((match) => match[1]!);
  const files = named.flatMap((token) =>
    available.filter((name) => name === `${token}.flawed.ts` || name.startsWith(`${token}-`)),
  );
  return [...new Set(files)].map((name) => join(katasDir, name));
}

function targetOf(finding: Finding): string {
  const source = finding.remediated.toString();
  const arrow = source.indexOf('=>');
  return (arrow >= 0 ? source.slice(arrow + 2) : source).trim().replace(/\s+/g, ' ');
}

function entryOf(app: string, finding: Finding): CatalogEntry {
  const katas = kataFilesOfSeam(finding.seam, join(APPS_DIR, app, 'katas'));
  const { title, kind, why, explanation, fix, metric, seam, difficulty, hints, timeoutMs } = finding;
  return {
    id: finding.id,
    app,
    finding: {
      title,
      kind,
      why,
      explanation,
      fix,
      metric,
      seam,
      difficulty,
      hints,
      timeoutMs,
      target: targetOf(finding),
    },
    katas: katas.map((kata) => relative(REPO_ROOT, kata)),
  };
}

/** Every file the catalog is read from: each app's findings and katas. */
function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function fingerprint(apps: string[]): string {
  const hash = createHash('sha256');
  for (const app of apps)
    for (const file of [
      ...sourceFiles(join(APPS_DIR, app, 'findings')),
      ...sourceFiles(join(APPS_DIR, app, 'katas')),
    ])
      hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * Reading the findings means loading both services (seconds); the runner's listings need only their data. The
 * data is cached under node_modules/.cache, keyed by the content of every finding and kata file.
 */
async function catalogEntries(): Promise<CatalogEntry[]> {
  const apps = readdirSync(APPS_DIR).filter((app) => existsSync(join(APPS_DIR, app, 'findings', 'index.ts')));
  const key = fingerprint(apps);
  if (existsSync(CACHE_FILE)) {
    const cached = JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as { key: string; entries: CatalogEntry[] };
    if (cached.key === key) return cached.entries;
  }
  const { discoverFindingSuites } = await import('@remedy/testing');
  const suites = await discoverFindingSuites(REPO_ROOT, apps);
  const entries = suites
    .filter(({ packagePath }) => packagePath.startsWith('apps/'))
    .flatMap(({ packagePath, suite }) =>
      suite.findings.map((finding) => entryOf(packagePath.slice('apps/'.length), finding)),
    );
  // Written aside and renamed into place: two runners starting at once never read half a file.
  mkdirSync(dirname(CACHE_FILE), { recursive: true });
  const written = `${CACHE_FILE}.${process.pid}`;
  writeFileSync(written, JSON.stringify({ key, entries }));
  renameSync(written, CACHE_FILE);
  return entries;
}

function exerciseOf({ id, app, finding, katas }: CatalogEntry): Exercise {
  const isKata = finding.kind === 'before-after' && finding.hints !== undefined && katas.length > 0;
  return {
    id,
    app,
    finding,
    kind: isKata ? 'kata' : 'reading',
    files: isKata
      ? katas.map((kata) => ({
          kata: join(REPO_ROOT, kata),
          copy: join(exercisesDir(app), basename(kata).replace(/\.flawed\.ts$/, '.ts')),
          solution: join(REPO_ROOT, kata.replace(/\.flawed\.ts$/, '.solution.ts')),
        }))
      : [],
    systemDoc: `docs/systems/${app}.md`,
    ledger: `docs/findings/${app}.md`,
  };
}

/** Every app's findings as exercises, in the order of each app's findings/index.ts. */
export async function loadExercises(): Promise<Exercise[]> {
  return (await catalogEntries()).map(exerciseOf);
}
