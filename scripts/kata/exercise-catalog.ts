import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { discoverFindingSuites, type Finding } from '@remedy/testing';
import { exercisesDir, REPO_ROOT } from './kata-home.js';

/** A kata file the flawed run plugs into the service, and the learner's copy of it. */
export interface KataFile {
  kata: string;
  copy: string;
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
  finding: Finding;
  kind: 'kata' | 'reading';
  files: KataFile[];
  /** The original design, in the project's words (docs/systems/<app>.md). */
  systemDoc: string;
  /** The finding's ledger entry: fix, proof and measured numbers (docs/findings/<app>.md). */
  ledger: string;
}

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

function exerciseOf(app: string, finding: Finding): Exercise {
  const appDir = join(REPO_ROOT, 'apps', app);
  const katas = kataFilesOfSeam(finding.seam, join(appDir, 'katas'));
  const isKata = finding.kind === 'before-after' && finding.hints !== undefined && katas.length > 0;
  return {
    id: finding.id,
    app,
    finding,
    kind: isKata ? 'kata' : 'reading',
    files: isKata
      ? katas.map((kata) => ({
          kata,
          copy: join(exercisesDir(app), basename(kata).replace(/\.flawed\.ts$/, '.ts')),
        }))
      : [],
    systemDoc: `docs/systems/${app}.md`,
    ledger: `docs/findings/${app}.md`,
  };
}

/** Every app's findings as exercises, in the order of each app's findings/index.ts. */
export async function loadExercises(): Promise<Exercise[]> {
  const apps = readdirSync(join(REPO_ROOT, 'apps'));
  const suites = await discoverFindingSuites(REPO_ROOT, apps);
  return suites
    .filter(({ packagePath }) => packagePath.startsWith('apps/'))
    .flatMap(({ packagePath, suite }) =>
      suite.findings.map((finding) => exerciseOf(packagePath.slice('apps/'.length), finding)),
    );
}
