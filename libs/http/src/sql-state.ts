import pg from 'pg';
import { QueryFailedError } from 'typeorm';

/** Services query through TypeORM (QueryFailedError wraps the driver's error) or through pg directly. */
export function sqlState(exception: unknown): string | undefined {
  if (exception instanceof QueryFailedError) {
    return (exception.driverError as { code?: string } | undefined)?.code;
  }
  return exception instanceof pg.DatabaseError ? exception.code : undefined;
}
