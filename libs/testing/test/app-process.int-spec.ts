import { AppProcess, BenchChild, spawnAppProcess } from '@remedy/testing';

const APP = new URL('./support/app-process.child.ts', import.meta.url);
const BENCH_CHILD = new URL('./support/bench-child.child.ts', import.meta.url);
const ROUNDS_CHILD = new URL('./support/rounds-child.child.ts', import.meta.url);

function spawnFixture(): Promise<{ app: AppProcess; ready: { url: string } }> {
  return spawnAppProcess(APP, {
    name: 'fixture app',
    stdin: 'pipe',
    ready: (starting) => starting.nextJsonLine<{ url: string }>('{"url"'),
  });
}

describe('spawnAppProcess', () => {
  it('resolves with what its ready signal read, reads /proc, and stops gracefully when stdin closes', async () => {
    const { app, ready } = await spawnFixture();
    try {
      expect(ready).toEqual({ url: 'http://127.0.0.1:1' });
      expect(app.running()).toBe(true);
      expect(app.residentSetBytes()).toBeGreaterThan(1024 * 1024);
      expect(app.openFileDescriptors()).toBeGreaterThanOrEqual(3);
      expect(app.cpuSeconds()).toBeGreaterThan(0);
      const echoed = app.nextLine((line) => line.startsWith('{"echo"'));
      app.writeLine('ping');
      expect(await echoed).toBe('{"echo":"ping"}');
    } finally {
      expect(await app.stop()).toEqual({ code: 0, signal: null });
    }
    expect(app.output()).toContain('stopped gracefully');
  });

  it('rejects with the exit code and the output when the process exits before it is ready', async () => {
    await expect(
      spawnAppProcess(APP, {
        name: 'fixture app',
        args: ['crash'],
        ready: (starting) => starting.nextJsonLine('{"url"'),
      }),
    ).rejects.toThrow('fixture app exited (3) before it was ready: config: DATABASE_URL is missing');
  });

  it('terminate() lets the app drain; kill() runs no handler at all', async () => {
    const terminated = (await spawnFixture()).app;
    expect(await terminated.terminate()).toEqual({ code: 0, signal: null });
    expect(terminated.output()).toContain('draining on SIGTERM');
    const killed = (await spawnFixture()).app;
    expect(await killed.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(killed.output()).not.toMatch(/draining|stopped/);
  });
});

/** The fixture child, asked for its answer once it has reported its second batch opened. */
function benchChild(answer: number, opened: number[]): BenchChild {
  const child = new BenchChild(BENCH_CHILD, { answer }, { name: 'fixture child' });
  child.on<{ type: 'progress'; opened: number }>('progress', (report) => {
    opened.push(report.opened);
    if (report.opened === 2) child.send({ type: 'ask' });
  });
  return child;
}

describe('BenchChild', () => {
  it('hands each report to its listener, keeps a report that came before it was asked for, and answers', async () => {
    const opened: number[] = [];
    const child = benchChild(42, opened);
    try {
      expect((await child.next<{ answer: number }>('answer')).answer).toBe(42);
      // 'early' came before 'answer', when nothing waited for it.
      await expect(child.next('early')).resolves.toEqual({ type: 'early' });
      expect(opened).toEqual([1, 2]);
    } finally {
      // Bench children live until their parent goes (childJob): this one is ended here.
      child.kill();
    }
  });

  it("runs a child's rounds at the parent's command: started, then each round answered, the next sent at the answer", async () => {
    const child = new BenchChild(ROUNDS_CHILD, {}, { name: 'rounds child' });
    const answers: number[][] = [];
    try {
      await child.next('started');
      // The next command goes the moment an answer is handed over: the child listens for it before answering.
      child.on<{ type: 'joined'; round: number; seen: number[] }>('joined', (answer) => {
        answers.push(answer.seen);
        if (answer.round < 2) child.send({ type: 'join', round: answer.round + 1, rounds: 3 });
      });
      child.send({ type: 'join', round: 0, rounds: 3 });
      expect((await child.next<{ seen: number[] }>('done')).seen).toEqual([0, 1, 2]);
      expect(answers).toEqual([[0], [0, 1], [0, 1, 2]]);
    } finally {
      child.kill();
    }
  });

  it("round() sends a round's command and resolves with the child's answer to it", async () => {
    const child = new BenchChild(ROUNDS_CHILD, {}, { name: 'rounds child' });
    try {
      await child.next('started');
      await expect(child.round('join', 'joined', 0, 2)).resolves.toEqual({
        type: 'joined',
        round: 0,
        seen: [0],
      });
      await expect(child.round('join', 'joined', 1, 2)).resolves.toEqual({
        type: 'joined',
        round: 1,
        seen: [0, 1],
      });
      await expect(child.next('done')).resolves.toEqual({ type: 'done', seen: [0, 1] });
    } finally {
      child.kill();
    }
  });

  it('rejects a wait with the output when the child exits first', async () => {
    const child = benchChild(-1, []);
    await expect(child.next('never')).rejects.toThrow(
      'fixture child exited (2) before "never": a negative answer: giving up',
    );
  });
});
