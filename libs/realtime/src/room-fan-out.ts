/** What one frame's fan-out does, told by RoomFanOut when it starts, for each member, and when it has written all. */
export interface FanOutJob<M> {
  /** The fan-out starts (a frame of a room that is still writing the one before starts after it). */
  started(members: number): void;
  write(member: M): void;
  /** Every member has been written to (in the turn of the event loop that wrote the last slice). */
  finished(members: number): void;
}

/**
 * Writes a room's frames to its local members, `sliceSize` members per turn of the event loop. A large room's
 * fan-out is the longest thing an instance does (4,000 sockets: 45–60 ms at 13 µs a socket, twice that when its
 * cores are contended), and written in one go it held everything else for that long: a chat line sent to the instance
 * in that time was not even read until the fan-out had finished, and carried the wait into every viewer's delivery
 * (ADR 0100). Between slices the instance reads its sockets and Redis. The members are those of the room when its
 * fan-out starts; a room's frames go out in order (the next waits for the one writing), other rooms' do not wait.
 * A room no larger than a slice is written at once, as before: a ward page's frames from one Redis batch still leave
 * in the same turn, corked into one write.
 */
export class RoomFanOut<M> {
  /** Rooms with a sliced fan-out under way, and the frames waiting behind it. */
  private readonly underWay = new Map<string, Array<() => boolean>>();
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly members: (room: string) => ReadonlySet<M>,
    private readonly sliceSize: number,
  ) {
    if (!(sliceSize >= 1)) throw new Error('RoomFanOut: sliceSize must be at least 1');
  }

  send(room: string, job: FanOutJob<M>): void {
    const waiting = this.underWay.get(room);
    if (waiting) waiting.push(() => this.start(room, job));
    else this.start(room, job);
  }

  /** Resolves once no fan-out is under way (before a drain closes the sockets). */
  async idle(): Promise<void> {
    if (this.underWay.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Whether the fan-out finished at once; otherwise its last slice goes on with the room's waiting frames. */
  private start(room: string, job: FanOutJob<M>): boolean {
    const members = this.members(room);
    job.started(members.size);
    if (members.size <= this.sliceSize) {
      for (const member of members) job.write(member);
      job.finished(members.size);
      return true;
    }
    const inOrder = [...members];
    if (!this.underWay.has(room)) this.underWay.set(room, []);
    const writeFrom = (first: number): void => {
      const end = Math.min(first + this.sliceSize, inOrder.length);
      for (let index = first; index < end; index += 1) job.write(inOrder[index]!);
      if (end < inOrder.length) {
        setImmediate(writeFrom, end);
        return;
      }
      job.finished(inOrder.length);
      this.next(room);
    };
    writeFrom(0);
    return false;
  }

  private next(room: string): void {
    const waiting = this.underWay.get(room) ?? [];
    while (waiting.length > 0) if (!waiting.shift()!()) return;
    this.underWay.delete(room);
    if (this.underWay.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
