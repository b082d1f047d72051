import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The awareness clients one socket announced on one document, each with the newest clock it sent: what must
 * be withdrawn for the other members when the socket leaves or closes. Without it they keep showing the
 * member until their own Yjs awareness times the state out (30 s).
 */
export class AnnouncedPresence {
  private readonly clocks = new Map<number, number>();

  /**
   * Notes the clients of an awareness update the socket sent (y-protocols encoding: a count, then per client
   * its id, clock and JSON state). A state of `null` is the client withdrawing itself. An update that does
   * not decode is still relayed as it came; it only adds nothing to withdraw.
   */
  note(update: Uint8Array): void {
    const entries: Array<[number, number, boolean]> = [];
    try {
      const decoder = decoding.createDecoder(update);
      const count = decoding.readVarUint(decoder);
      for (let i = 0; i < count; i++) {
        const client = decoding.readVarUint(decoder);
        const clock = decoding.readVarUint(decoder);
        entries.push([client, clock, decoding.readVarString(decoder) === 'null']);
      }
    } catch {
      return;
    }
    for (const [client, clock, withdrawn] of entries) {
      if (withdrawn) this.clocks.delete(client);
      else if (clock >= (this.clocks.get(client) ?? 0)) this.clocks.set(client, clock);
    }
  }

  /**
   * The awareness update removing every client noted, as Yjs's `removeAwarenessStates` encodes it: the next
   * clock and a null state, which the members' awareness applies over the state they hold. Null if none.
   */
  withdrawal(): Uint8Array | null {
    if (this.clocks.size === 0) return null;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, this.clocks.size);
    for (const [client, clock] of this.clocks) {
      encoding.writeVarUint(encoder, client);
      encoding.writeVarUint(encoder, clock + 1);
      encoding.writeVarString(encoder, 'null');
    }
    return encoding.toUint8Array(encoder);
  }
}
