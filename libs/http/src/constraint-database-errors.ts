import { HttpStatus } from '@nestjs/common';
import { sqlState } from './sql-state.js';

/*
 * SQLSTATEs that say the request itself is wrong: the database, not the service, knew the rule. The client
 * gets the matching 4xx and a sentence; the constraint name, the offending values and the SQL stay in the
 * server, because they describe the schema rather than the request.
 */
const CONSTRAINT_SQL_STATES: Readonly<Record<string, { statusCode: number; message: string }>> = {
  '23505': { statusCode: HttpStatus.CONFLICT, message: 'a row with this unique value already exists' },
  '23503': { statusCode: HttpStatus.UNPROCESSABLE_ENTITY, message: 'a referenced row does not exist' },
  '23514': { statusCode: HttpStatus.UNPROCESSABLE_ENTITY, message: 'the values break a table constraint' },
  '22P02': { statusCode: HttpStatus.BAD_REQUEST, message: 'a value has the wrong format' },
};

/** The status and sentence for a constraint or format error, or undefined for anything else. */
export function constraintDatabaseError(
  exception: unknown,
): { statusCode: number; message: string } | undefined {
  const code = sqlState(exception);
  return code === undefined ? undefined : CONSTRAINT_SQL_STATES[code];
}
