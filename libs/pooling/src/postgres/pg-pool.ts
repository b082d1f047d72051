import { AsyncResource } from 'node:async_hooks';
import pg from 'pg';
import { instrumentedClientClass } from './instrumented-client.js';
import { PoolExhaustedError } from './pool-exhausted.error.js';

type ConnectCallback = NonNullable<Parameters<pg.Pool['connect']>[0]>;

// pg-pool's only message for "waited connectionTimeoutMillis in the queue while every client was busy".
const QUEUE_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';

/** A pg Pool with a name, instrumented clients (query events) and a typed error when it is exhausted. */
export class PgPool extends pg.Pool {
  constructor(
    readonly name: string,
    config: pg.PoolConfig,
  ) {
    super({ ...config, Client: instrumentedClientClass(name) });
    // An idle client dropped by the server (restart, failover) is emitted on the pool; without a listener
    // Node treats it as an unhandled 'error' event and exits. The pool has already discarded that client.
    this.on('error', (error) => {
      process.emitWarning(
        `pool '${name}' discarded a broken idle connection: ${error.message}`,
        'PgPoolWarning',
      );
    });
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

  private explainConnectError<E>(error: E): E | PoolExhaustedError {
    if (!(error instanceof Error) || error.message !== QUEUE_TIMEOUT_MESSAGE) return error;
    return new PoolExhaustedError(this.name, this.options.max, this.options.connectionTimeoutMillis ?? 0, {
      cause: error,
    });
  }
}
