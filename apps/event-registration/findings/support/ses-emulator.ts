import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesEmulatorModule from 'aws-ses-v2-local';

/* aws-ses-v2-local is CommonJS with `exports.default = server`. */
type StartEmulator = (config?: { host?: string; port?: number }) => Promise<Server>;
const startEmulator: StartEmulator =
  (sesEmulatorModule as unknown as { default?: StartEmulator }).default ??
  (sesEmulatorModule as unknown as StartEmulator);

export interface StoredEmail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  at: number;
}

export interface SesCall {
  kind: 'sendEmail' | 'sendBulkEmail';
  /** Addresses the call mails: every To/Cc/Bcc of a SendEmail, every entry's of a SendBulkEmail. */
  destinations: number;
}

interface SesDestination {
  ToAddresses?: string[];
  CcAddresses?: string[];
  BccAddresses?: string[];
}

function addresses(destination: SesDestination | undefined): number {
  return (
    (destination?.ToAddresses?.length ?? 0) +
    (destination?.CcAddresses?.length ?? 0) +
    (destination?.BccAddresses?.length ?? 0)
  );
}

/** Read from the request body as the SDK sent it (SESv2 REST JSON). */
function destinationsIn(kind: SesCall['kind'], body: Buffer): number {
  const request = JSON.parse(body.toString('utf8') || '{}') as {
    Destination?: SesDestination;
    BulkEmailEntries?: { Destination?: SesDestination }[];
  };
  if (kind === 'sendEmail') return addresses(request.Destination);
  return (request.BulkEmailEntries ?? []).reduce((sum, entry) => sum + addresses(entry.Destination), 0);
}

/**
 * The SES emulator behind a small proxy of ours, which is what the app's SES_ENDPOINT points at. The proxy
 * counts calls per API path (SendEmail vs SendBulkEmail), records the destinations each call's body carries,
 * and can play a slow or broken provider: `delayMs` before forwarding, `failing` answers 503 without
 * forwarding (and records whom each refused SendEmail was for), until the test sets it back.
 */
export class SesEmulator {
  delayMs = 0;
  failing = false;
  private readonly calls = new Map<string, number>();
  private readonly sizes: SesCall[] = [];
  private readonly refused = new Map<string, number>();

  private constructor(
    private readonly emulator: Server,
    private readonly proxy: Server,
  ) {}

  static async start(): Promise<SesEmulator> {
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    const target = emulator.address() as AddressInfo;
    const holder: { instance?: SesEmulator } = {};
    const proxy = createServer((req, res) => {
      void holder.instance?.handle(req, res, target.port);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    holder.instance = new SesEmulator(emulator, proxy);
    return holder.instance;
  }

  /** What the app's SES_ENDPOINT should be. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.proxy.address() as AddressInfo).port}`;
  }

  /** The emulator itself (GET /store, POST /clear-store), bypassing the proxy's faults. */
  get emulatorUrl(): string {
    return `http://127.0.0.1:${(this.emulator.address() as AddressInfo).port}`;
  }

  /** SESv2 calls that reached the proxy: `sendEmail`, `sendBulkEmail` or `other`. */
  count(kind: 'sendEmail' | 'sendBulkEmail' | 'other'): number {
    return this.calls.get(kind) ?? 0;
  }

  /** Each SendEmail / SendBulkEmail call that reached the proxy, with the destinations its body carried. */
  sendCalls(): readonly SesCall[] {
    return this.sizes;
  }

  /** SendEmail calls to `address` answered 503 while `failing`. */
  refusedTo(address: string): number {
    return this.refused.get(address) ?? 0;
  }

  resetCounts(): void {
    this.calls.clear();
    this.sizes.length = 0;
    this.refused.clear();
  }

  async emails(): Promise<StoredEmail[]> {
    const response = await fetch(`${this.emulatorUrl}/store`);
    return ((await response.json()) as { emails: StoredEmail[] }).emails;
  }

  async emailsTo(address: string): Promise<StoredEmail[]> {
    return (await this.emails()).filter((email) => email.destination.to.includes(address));
  }

  async clear(): Promise<void> {
    await fetch(`${this.emulatorUrl}/clear-store`, { method: 'POST' });
    this.resetCounts();
  }

  async stop(): Promise<void> {
    this.proxy.closeAllConnections();
    this.emulator.closeAllConnections?.();
    await Promise.all(
      [this.proxy, this.emulator].map(
        (server) => new Promise<void>((resolve) => server.close(() => resolve())),
      ),
    );
  }

  private refuse(address: string): void {
    this.refused.set(address, (this.refused.get(address) ?? 0) + 1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, port: number): Promise<void> {
    const kind = req.url?.startsWith('/v2/email/outbound-bulk-emails')
      ? 'sendBulkEmail'
      : req.url?.startsWith('/v2/email/outbound-emails')
        ? 'sendEmail'
        : 'other';
    this.calls.set(kind, (this.calls.get(kind) ?? 0) + 1);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (kind !== 'other') this.sizes.push({ kind, destinations: destinationsIn(kind, body) });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failing) {
      if (kind === 'sendEmail') for (const to of recipients(body)) this.refuse(to);
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Service Unavailable (injected by the test proxy)' }));
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    upstream.end(body);
  }
}

/** The To addresses of a SESv2 SendEmail request body (JSON). */
function recipients(body: Buffer): string[] {
  try {
    const request = JSON.parse(body.toString('utf8')) as { Destination?: { ToAddresses?: string[] } };
    return request.Destination?.ToAddresses ?? [];
  } catch {
    return [];
  }
}
