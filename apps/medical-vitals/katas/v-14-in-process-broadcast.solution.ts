import { RealtimeHub, type RealtimeClient } from '@remedy/realtime';
import type { DashboardPrincipal } from '../src/dashboards/live/dashboard-token.service.js';
import type { LiveHubFactory } from '../src/dashboards/live/live-hub.js';

type Client = RealtimeClient<DashboardPrincipal>;

/**
 * One instance of the reviewed WebSocket server (vitals review §6: "Stateless design unclear … If WebSocket
 * server pods are not truly stateless, horizontal scaling will fail"): a stored reading is broadcast to the
 * dashboards connected to *this process* only. Behind a load balancer, a dashboard connected to another
 * instance never hears of it. Plugged in as the /live gateway's hub: the real hub, whose fan-out delivers
 * each room message to its own sockets instead of publishing it through Redis.
 */
export const inProcessBroadcastHub: LiveHubFactory = (options) =>
  // The room message goes through Redis pub/sub (the hub's own publishMany): every instance subscribed to the
  // room delivers it to its sockets, so a dashboard hears a reading whichever instance stored it.
  new RealtimeHub(options);

/** Rooms → sockets, shared by every hub in this Node process (module-level state). */
const rooms = new Map<string, Set<Client>>();

/**
 * A close cousin: the rooms live in a module-level map that every hub of the process shares, so two
 * instances started in one process (as a test might) see each other's dashboards; two processes do not.
 */
export const moduleLevelRoomsHub: LiveHubFactory = (options) => {
  const hub = new RealtimeHub({
    ...options,
    onDisconnected: (client) => {
      for (const members of rooms.values()) members.delete(client);
      options.onDisconnected?.(client);
    },
  });
  const join = hub.join.bind(hub);
  const leave = hub.leave.bind(hub);
  hub.join = async (client, room) => {
    await join(client, room);
    rooms.set(room, (rooms.get(room) ?? new Set()).add(client));
  };
  hub.leave = async (client, room) => {
    await leave(client, room);
    rooms.get(room)?.delete(client);
  };
  hub.publishMany = (messages) => {
    for (const { room, message, key } of messages)
      for (const client of rooms.get(room) ?? [])
        client.send(typeof message === 'string' ? message : JSON.stringify(message), key);
    return Promise.resolve();
  };
  return hub;
};
