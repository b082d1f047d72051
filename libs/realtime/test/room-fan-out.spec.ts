import { describe, expect, test } from '@jest/globals';
import { RoomFanOut, type FanOutJob } from '../src/room-fan-out.js';

/**
 * Counts turns of the event loop: one increment per check phase, for as long as it runs. A setImmediate queued in a
 * check phase runs in the next, after this counter's own (queued earlier), so a write sees the turn it ran in.
 */
function turnCounter(): { readonly turn: number; stop(): void } {
  let turn = 0;
  let running = true;
  const tick = (): void => {
    turn += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turn() {
      return turn;
    },
    stop: () => {
      running = false;
    },
  };
}

type Write = { frame: string; member: string; turn: number };

function recordingJob(
  frame: string,
  writes: Write[],
  turns: { readonly turn: number },
): FanOutJob<string> & { done: Promise<void> } {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    done,
    started: () => undefined,
    write: (member) => writes.push({ frame, member, turn: turns.turn }),
    finished: () => finish(),
  };
}

describe('RoomFanOut', () => {
  test('a room larger than a slice is written a slice per turn of the event loop; a room no larger, at once', async () => {
    const rooms = new Map([
      ['large', new Set(['a', 'b', 'c', 'd', 'e', 'f'])],
      ['small', new Set(['x', 'y'])],
    ]);
    const fanOut = new RoomFanOut<string>((room) => rooms.get(room)!, 2);
    const turns = turnCounter();
    const writes: Write[] = [];
    try {
      const small = recordingJob('s', writes, turns);
      fanOut.send('small', small);
      expect(writes.map((write) => write.member)).toEqual(['x', 'y']);
      const large = recordingJob('l', writes, turns);
      fanOut.send('large', large);
      await large.done;
    } finally {
      turns.stop();
    }
    const large = writes.filter((write) => write.frame === 'l');
    expect(large.map((write) => write.member)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const first = large[0]!.turn;
    expect(large.map((write) => write.turn - first)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  test("a room's frames go out in order, each to the members of the room when it starts; other rooms do not wait", async () => {
    const crowd = new Set(['a', 'b', 'c', 'd', 'e']);
    const rooms = new Map([
      ['crowd', crowd],
      ['other', new Set(['z'])],
    ]);
    const fanOut = new RoomFanOut<string>((room) => rooms.get(room)!, 2);
    const turns = turnCounter();
    const writes: Write[] = [];
    try {
      const first = recordingJob('1', writes, turns);
      const second = recordingJob('2', writes, turns);
      fanOut.send('crowd', first);
      fanOut.send('crowd', second);
      // Joins while the first is being written: the second frame, which starts after it, reaches the newcomer.
      crowd.add('f');
      const other = recordingJob('o', writes, turns);
      fanOut.send('other', other);
      expect(writes.filter((write) => write.frame === 'o').map((write) => write.member)).toEqual(['z']);
      await Promise.all([first.done, second.done]);
    } finally {
      turns.stop();
    }
    const crowdWrites = writes.filter((write) => write.frame !== 'o');
    expect(crowdWrites.map((write) => `${write.frame}${write.member}`)).toEqual([
      ...['1a', '1b', '1c', '1d', '1e'],
      ...['2a', '2b', '2c', '2d', '2e', '2f'],
    ]);
  });

  test('idle() waits for every fan-out under way, and the frames queued behind it', async () => {
    const rooms = new Map([['crowd', new Set(['a', 'b', 'c'])]]);
    const fanOut = new RoomFanOut<string>((room) => rooms.get(room)!, 1);
    const turns = turnCounter();
    const writes: Write[] = [];
    try {
      await fanOut.idle();
      fanOut.send('crowd', recordingJob('1', writes, turns));
      fanOut.send('crowd', recordingJob('2', writes, turns));
      expect(writes).toHaveLength(1);
      await fanOut.idle();
    } finally {
      turns.stop();
    }
    expect(writes).toHaveLength(6);
  });
});
