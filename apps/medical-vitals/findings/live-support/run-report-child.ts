import { spawn } from 'node:child_process';
import type { ReportMemoryJob, ReportMemoryResult } from './report-memory-child.js';

const REGISTER = new URL('../../../../scripts/register.js', import.meta.url).pathname;
const ENTRY = new URL('./report-memory-child.ts', import.meta.url).pathname;

/** Runs one report in a fresh Node process and returns its memory figures. */
export function runReportInChild(job: ReportMemoryJob): Promise<ReportMemoryResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REGISTER, ENTRY, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').pop();
      if (code !== 0 || !last)
        return reject(new Error(`report child exited with ${code}: ${stderr.slice(-2_000)}`));
      resolve(JSON.parse(last) as ReportMemoryResult);
    });
  });
}
