import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeTemporaryDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'remedy-partitioning-'));
}

export async function removeDirectory(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
