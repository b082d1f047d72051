import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArchiveStore } from './archive-store.js';

const PARTIAL_SUFFIX = '.partial';

/**
 * Archives as files under a root directory (a mounted volume, or local runs without S3). Keys map to
 * paths; a file is written under a temporary name and renamed, so a crash never leaves a truncated archive.
 */
export class FilesystemArchiveStore implements ArchiveStore {
  constructor(private readonly root: string) {}

  async put(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const path = this.pathOf(key);
    const temporary = `${path}.${randomUUID()}${PARTIAL_SUFFIX}`;
    await mkdir(dirname(path), { recursive: true });
    // Open before streaming: createWriteStream opens lazily, so a body failing at once would let the
    // clean-up below run before the file exists and the late open would leave an empty partial behind.
    const file = await open(temporary, 'wx');
    try {
      await pipeline(Readable.from(body), file.createWriteStream());
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<AsyncIterable<Uint8Array>> {
    const path = this.pathOf(key);
    const found = await stat(path).catch(() => undefined);
    if (!found?.isFile()) throw new Error(`No archive at ${path}`);
    return createReadStream(path);
  }

  async list(prefix: string): Promise<string[]> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    return entries
      .filter((entry) => entry.isFile() && !entry.name.endsWith(PARTIAL_SUFFIX))
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix))
      .sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    const segments = key.split('/');
    if (
      segments.some(
        (segment) => segment === '' || segment === '.' || segment === '..' || segment.includes(sep),
      )
    ) {
      throw new Error(`Archive key "${key}" must be relative segments joined by "/", without "." or ".."`);
    }
    return join(this.root, ...segments);
  }
}
