/** The parts of a V8 `.cpuprofile` (what `--cpu-prof` and the inspector's `Profiler.stop` write) we read. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuShare {
  name: string;
  selfMs: number;
  /** Share of the busy time (everything but idle), 0–1. */
  share: number;
}

export interface CpuProfileSummary {
  /** Sampled wall time, ms. */
  totalMs: number;
  /** Sampled time the thread was not idle, ms. */
  busyMs: number;
  /** Self time by where the code lives (a package, a repo library, Node's own modules, GC), busiest first. */
  byPackage: CpuShare[];
  /** Self time by function, busiest first. */
  byFunction: CpuShare[];
}

/**
 * Where a piece of code lives, from its script URL: the npm package (`pg`, `@nestjs/core`), the repo's own
 * library or app (`@remedy/auth`, `app:event-registration`), Node's modules (`node:net`), or V8's own
 * buckets (`(garbage collector)`, `(program)`: native code V8 did not attribute, `(idle)`). A native
 * function without a script is `(native)` here; the summary bills it to its caller's package.
 */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  // The innermost node_modules: a nested copy belongs to the package it is a copy of.
  const modules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules) return modules[1]!;
  const repo = /\/(libs|apps)\/([^/]+)\//.exec(url);
  if (repo) return repo[1] === 'libs' ? `@remedy/${repo[2]}` : `app:${repo[2]}`;
  const node = /^node:(?:internal\/)?([^/]+)/.exec(url);
  if (node) return `node:${node[1]}`;
  return url;
}

/**
 * Self time per package and per function; a sample's time is the gap to the next sample. Native functions
 * (a socket's `writev`, a crypto job's `run`) count for the package that called them: the work is theirs.
 */
export function summarizeCpuProfile(profile: CpuProfile): CpuProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const billedTo = (id: number): string => {
    const frame = nodes.get(id)!;
    const where = packageOf(frame.url, frame.functionName);
    if (where !== '(native)') return where;
    const parent = parents.get(id);
    return parent === undefined ? where : billedTo(parent);
  };
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (let index = 0; index < profile.samples.length; index += 1) {
    const us = profile.timeDeltas[index + 1] ?? 0;
    const id = profile.samples[index]!;
    const frame = nodes.get(id);
    if (!frame) continue;
    totalUs += us;
    const where = billedTo(id);
    if (where === '(idle)') {
      idleUs += us;
      continue;
    }
    packages.set(where, (packages.get(where) ?? 0) + us);
    const line = frame.url
      ? `:${frame.lineNumber + 1}`
      : frame.functionName.startsWith('(')
        ? ''
        : ' (native)';
    const name = `${frame.functionName || '(anonymous)'} ${where}${line}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const rank = (entries: Map<string, number>): CpuShare[] =>
    [...entries]
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs);
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    byPackage: rank(packages),
    byFunction: rank(functions),
  };
}

/** A plain-text table of the top `limit` rows of a summary, for a terminal or a doc. */
export function formatCpuProfileSummary(summary: CpuProfileSummary, limit = 15): string {
  const rows = (shares: CpuShare[]) =>
    shares
      .slice(0, limit)
      .map(
        (row) =>
          `  ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.selfMs.toFixed(0).padStart(7)} ms  ${row.name}`,
      );
  return [
    `sampled ${summary.totalMs.toFixed(0)} ms, busy ${summary.busyMs.toFixed(0)} ms (${((summary.busyMs / summary.totalMs) * 100).toFixed(0)} %)`,
    'self time by package (share of busy time):',
    ...rows(summary.byPackage),
    'self time by function:',
    ...rows(summary.byFunction),
  ].join('\n');
}
