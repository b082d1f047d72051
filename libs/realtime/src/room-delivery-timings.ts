/**
 * Where a room message's time goes on an instance, for an operations signal (the app records these as histograms):
 * together with the client's own receiving they are the whole of a delivery's latency, so a slow room can be told
 * apart as Redis, the frame window or the fan-out to the room's sockets.
 */
export interface RoomDeliveryTimings {
  /**
   * From the publisher's PUBLISH to this instance reading the message from Redis, in ms, by the two processes' wall
   * clocks (on two hosts it carries their clock offset too). Messages from a publisher older than the timestamp on
   * the wire are not counted.
   */
  transit(ms: number): void;
  /** From reading a message to the fan-out of the frame that carries it starting: the frame window's wait. */
  frameWait(ms: number): void;
  /** From a frame's fan-out starting to the last of its sockets' bytes handed to the kernel, once per frame. */
  fanOut(ms: number): void;
}

/** Milliseconds since the epoch, with the fraction `performance.now()` has: comparable between processes. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
