import { AsyncResource } from 'node:async_hooks';
import pg from 'pg';
import { instrumentedClientClass } from './instrumented-client.js';
import { PoolExhaustedError } from './pool-exhausted.error.js';

type ConnectCallback = NonNullable<Parameters<pg.Pool['connect']>[0]>;

// pg-pool's only message for "waited connectionTimeoutMillis in the queue while every client was busy".
const QUEUE_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';
// pg-pool's message for an opening of a connection that ran past its deadline (newConnectionTimeoutMillis).
const OPENING_TIMEOUT_MESSAGE = 'Connection terminated due to connection timeout';

/** Whether `error` is a pool's opening of a connection that ran past its deadline: the server was too slow. */
export function isConnectionOpeningTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === OPENING_TIMEOUT_MESSAGE;
}

/** pg's pool config and PgPool's own deadline for opening a connection. */
export interface PgPoolConfig extends pg.PoolConfig {
  /**
   * How long opening a new connection may take (see PgPoolSettings). Unset, pg-pool's own behaviour: the
   * opening gets connectionTimeoutMillis too.
   */
  newConnectionTimeoutMillis?: number;
}

// pg-pool's method that opens a connection for a waiter; not part of pg's typed API. Taken unbound on purpose
// (it is applied with each PgPool as `this`), and checked here so that a pg-pool without it fails at load.
const openConnection = Reflect.get(pg.Pool.prototype, 'newClient') as unknown;
if (typeof openConnection !== 'function') throw new Error('pg-pool no longer has Pool.prototype.newClient');

/** A pg Pool with a name, instrumented clients (query events) and a typed error when it is exhausted. */
export class PgPool extends pg.Pool {
  private readonly newConnectionTimeoutMillis: number | undefined;

  constructor(
    readonly name: string,
    { newConnectionTimeoutMillis, ...config }: PgPoolConfig,
  ) {
    super({ ...config, Client: instrumentedClientClass(name) });
    this.newConnectionTimeoutMillis = newConnectionTimeoutMillis;
    // pg-pool listens for a client's 'error' only while the client sits idle in the pool. A connection that
    // drops while checked out (failover, an administrator's terminate, idle_in_transaction_session_timeout
    // during a relay's publish) would emit 'error' with nobody listening, and Node ends the process. Its
    // holder learns of the loss from the rejection of its next statement, so the event is only recorded.
    this.on('connect', (client) => {
      client.on('error', (error) => {
        process.emitWarning(`pool '${name}' lost a connection: ${error.message}`, 'PgPoolWarning');
      });
    });
    // An idle client's error is also re-emitted on the pool once the pool has discarded that client; the
    // client's own listener above has recorded it, but an unheard pool 'error' would end the process too.
    this.on('error', () => undefined);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (callback === undefined) {
      return super.connect().catch((error: unknown) => {
        throw this.explainConnectError(error);
      });
    }
    // pg-pool hands a released client to the next waiter from inside the releasing caller's call stack.
    // Binding keeps the waiter's own async context (QueryCounter scopes, trace spans) for its statements.
    // A plain AsyncResource: AsyncResource.bind also builds a deprecation wrapper per call on Node 20.
    const waiter = new AsyncResource('pg-pool-connect');
    super.connect((error, client, done) => {
      const explained = error === undefined ? undefined : this.explainConnectError(error);
      waiter.runInAsyncScope(callback, undefined, explained, client, done);
    });
  }

  /**
   * pg-pool times two different waits with its one option connectionTimeoutMillis: a caller queued while
   * every connection is busy, and the opening of a new connection (the pool's timer and the Client's own).
   * newClient reads the option synchronously, so it runs with the deadline for opening in its place.
   */
  protected newClient(pendingItem: unknown): void {
    const options = this.options as pg.PoolConfig;
    const waitDeadline = options.connectionTimeoutMillis;
    if (this.newConnectionTimeoutMillis !== undefined) {
      options.connectionTimeoutMillis = this.newConnectionTimeoutMillis;
    }
    try {
      (openConnection as (this: pg.Pool, item: unknown) => void).call(this, pendingItem);
    } finally {
      options.connectionTimeoutMillis = waitDeadline;
    }
  }

  private explainConnectError<E>(error: E): E | PoolExhaustedError {
    if (!(error instanceof Error) || error.message !== QUEUE_TIMEOUT_MESSAGE) return error;
    return new PoolExhaustedError(this.name, this.options.max, this.options.connectionTimeoutMillis ?? 0, {
      cause: error,
    });
  }
}
