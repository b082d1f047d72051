import {
  Inject,
  Injectable,
  Logger as NestLogger,
  type LoggerService,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Level, Logger } from 'pino';
import { LOGGER } from '../observability.tokens.js';

// Nest passes a stack trace as a plain string argument; this tells it apart from a context name.
const STACK_LINE = /\n\s+at /;

/**
 * Nest's `LoggerService` on top of the pino logger, so that framework lines (bootstrap, exceptions,
 * terminus) are JSON with the same fields as application lines. Installed as Nest's logger when the
 * module initialises, which also releases the lines buffered before (create the app or application
 * context with `bufferLogs: true` so that the bootstrap lines are JSON too).
 */
@Injectable()
export class NestJsonLogger implements LoggerService, OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  onModuleInit(): void {
    NestLogger.overrideLogger(this);
    // What `app.useLogger()` would do; an application context otherwise keeps buffering until it is called.
    NestLogger.flush();
  }

  onApplicationShutdown(): void {
    this.logger.flush();
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const last = rest.at(-1);
    const context = typeof last === 'string' && !STACK_LINE.test(last) ? (rest.pop() as string) : undefined;
    const stack = rest.find((param): param is string => typeof param === 'string' && STACK_LINE.test(param));
    const fields = { ...(context !== undefined && { context }), ...(stack !== undefined && { stack }) };
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...message });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
