import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import WebSocket, { WebSocketServer } from 'ws';

export interface KataReading {
  patientId: string;
  wardId: string;
  deviceId: string;
  seq: number;
  recordedAt: string;
  heartRate: number;
}

/**
 * One instance of the reviewed WebSocket server (vitals review §6: "Stateless design unclear … If WebSocket
 * server pods are not truly stateless, horizontal scaling will fail"): it stores a reading, then tells the
 * dashboards connected to *this process* through an in-process event emitter. Behind a load balancer, a
 * dashboard connected to another instance never hears of it.
 */
export class InProcessDashboardServer {
  private readonly events = new EventEmitter();
  private readonly server: WebSocketServer;

  private constructor(
    private readonly pool: pg.Pool,
    server: WebSocketServer,
  ) {
    this.server = server;
    this.events.setMaxListeners(0);
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(pool: pg.Pool): Promise<InProcessDashboardServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/live' });
    await once(server, 'listening');
    return new InProcessDashboardServer(pool, server);
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The ingest path of this instance: store, then broadcast in-process. */
  async ingest(reading: KataReading): Promise<void> {
    await this.pool.query(
      'INSERT INTO vital_data (patient_id, device_id, recorded_at, seq, heart_rate) VALUES ($1, $2, $3, $4, $5)',
      [reading.patientId, reading.deviceId, reading.recordedAt, reading.seq, reading.heartRate],
    );
    this.events.emit(`ward:${reading.wardId}`, JSON.stringify({ type: 'reading', ...reading }));
  }

  close(): Promise<void> {
    for (const socket of this.server.clients) socket.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const listeners: Array<[string, (payload: string) => void]> = [];
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { type: string; wardId?: string };
      if (message.type === 'auth') socket.send(JSON.stringify({ type: 'authenticated' }));
      if (message.type === 'subscribe' && message.wardId) {
        const listener = (payload: string): void => socket.send(payload);
        this.events.on(`ward:${message.wardId}`, listener);
        listeners.push([`ward:${message.wardId}`, listener]);
        socket.send(JSON.stringify({ type: 'subscribed', room: `ward:${message.wardId}` }));
      }
    });
    socket.on('close', () => {
      for (const [event, listener] of listeners) this.events.off(event, listener);
    });
  }
}
