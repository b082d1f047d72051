import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/*
 * Running PostgreSQL's own binaries as child processes: initdb and the postmaster, as the `postgres` user when
 * this process is root (PostgreSQL refuses to run as root). Shared by the embedded server and the replicas.
 */

/** PostgreSQL refuses to run as root: as root, its processes run as the `postgres` user. */
export function serverUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('Running as root, PostgreSQL needs a `postgres` user to run as (useradd postgres).');
  }
}

/** As root, makes the `postgres` user the server runs as, where none exists (a machine without PostgreSQL installed). */
export function ensureServerUser(): void {
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {
      stdio: 'ignore',
    });
  }
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...serverUser(), env: { ...process.env, ...env }, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${output.trim()}`)),
    );
  });
}

/** A temp directory the server user can write into. */
export function serverDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o777);
  return dir;
}

export interface Postmaster {
  port: number;
  stop(): Promise<void>;
}

export async function startPostmaster(
  postgresBinary: string,
  dataDir: string,
  socketDir: string,
  settings: Record<string, string>,
): Promise<Postmaster> {
  const port = await freePort();
  const args = ['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1'];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  const child: ChildProcess = spawn(postgresBinary, args, {
    ...serverUser(),
    stdio: 'pipe',
  });
  let log = '';
  let exited = false;
  const closed = new Promise<void>((resolve) => {
    child.on('close', () => {
      exited = true;
      resolve();
    });
    // A binary the server user cannot execute (EACCES) is an 'error' event: unhandled, it ends this process.
    child.on('error', (error) => {
      log += `\n${error.message}`;
      exited = true;
      resolve();
    });
  });
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  // A process that ends without stop() (a crash, process.exit) must not leave a server running behind it.
  const orphanGuard = (): void => {
    if (!exited) child.kill('SIGQUIT');
  };
  process.once('exit', orphanGuard);
  const stop = async (): Promise<void> => {
    process.off('exit', orphanGuard);
    if (!exited) child.kill('SIGINT'); // fast shutdown
    await closed;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`postgres exited during start-up:\n${log.trim()}`);
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return { port, stop };
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`postgres did not accept connections within 60 s:\n${log.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
