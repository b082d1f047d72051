/**
 * Which local members are in which room, both ways, so a delivery looks up one room and a disconnect
 * leaves every room without a scan. Reports a room's last leave, which is when the instance unsubscribes
 * from that room's channel (every join waits for the subscription: RedisRoomBus.subscribe).
 */
export class RoomRegistry<M> {
  private readonly membersByRoom = new Map<string, Set<M>>();
  private readonly roomsByMember = new Map<M, Set<string>>();

  join(member: M, room: string): void {
    let members = this.membersByRoom.get(room);
    if (!members) {
      members = new Set();
      this.membersByRoom.set(room, members);
    }
    members.add(member);
    let rooms = this.roomsByMember.get(member);
    if (!rooms) {
      rooms = new Set();
      this.roomsByMember.set(member, rooms);
    }
    rooms.add(room);
  }

  /** Returns true when the room has no local member left. */
  leave(member: M, room: string): boolean {
    const members = this.membersByRoom.get(room);
    if (!members?.delete(member)) return false;
    this.roomsByMember.get(member)?.delete(room);
    if (members.size > 0) return false;
    this.membersByRoom.delete(room);
    return true;
  }

  /** Removes the member from all its rooms; returns the rooms left empty. */
  leaveAll(member: M): string[] {
    const emptied: string[] = [];
    for (const room of [...(this.roomsByMember.get(member) ?? [])]) {
      if (this.leave(member, room)) emptied.push(room);
    }
    this.roomsByMember.delete(member);
    return emptied;
  }

  members(room: string): ReadonlySet<M> {
    return this.membersByRoom.get(room) ?? EMPTY;
  }

  roomsOf(member: M): ReadonlySet<string> {
    return this.roomsByMember.get(member) ?? EMPTY_ROOMS;
  }

  get roomCount(): number {
    return this.membersByRoom.size;
  }
}

const EMPTY: ReadonlySet<never> = new Set();
const EMPTY_ROOMS: ReadonlySet<string> = new Set();
