import type { Exercise } from './exercise-catalog.js';
import { shown } from './kata-home.js';

/** The pass condition in the finding's own words: the body of its `remediated` predicate. */
export function targetOf(exercise: Exercise): string {
  return exercise.finding.target;
}

/** Numbers as the ledger prints them (1,470; 0.25). */
function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 3 });
}

export function difficultyOf(exercise: Exercise): string {
  const level = exercise.finding.difficulty;
  return level ? `${'●'.repeat(level)}${'○'.repeat(3 - level)}` : '';
}

export function measured(exercise: Exercise, value: number | undefined): string {
  return value === undefined ? '—' : `${formatNumber(value)} ${exercise.finding.metric.unit}`;
}

export function details(values: Record<string, number | string>): string[] {
  return Object.entries(values).map(
    ([key, value]) => `    ${key}: ${typeof value === 'number' ? formatNumber(value) : value}`,
  );
}

/** What `start` shows: the flaw in the project's words, the files to change, the metric and the target. */
export function taskOf(exercise: Exercise): string[] {
  const { finding } = exercise;
  const metric = finding.metric;
  return [
    `${exercise.id} — ${finding.title}   difficulty ${difficultyOf(exercise)}`,
    '',
    ...(finding.explanation ? wrap(finding.explanation, 100).map((line) => `  ${line}`) : []),
    '',
    `  The flawed design is back in the service at its seam: ${finding.seam}`,
    '  Change (your copy; the service loads it in place of the kata under `npm run kata`):',
    ...exercise.files.map(({ copy }) => `    ${shown(copy)}`),
    `  Metric: ${metric.name} (${metric.unit}, ${metric.better} is better)`,
    `  Target: ${targetOf(exercise)}`,
    `  The original design: ${exercise.systemDoc}`,
  ];
}

export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
