import { BadRequestException, ConflictException } from '@nestjs/common';
import type { EventDto } from './event.dto.js';
import type { UpdateEventDto } from './update-event.dto.js';

export interface EventChanges {
  /** `column = $n` list; parameters start at $3 ($1 id, $2 version). */
  assignments: string;
  values: unknown[];
  rescheduled: boolean;
}

const PLAIN_FIELDS = [
  ['title', 'title'],
  ['description', 'description'],
  ['category', 'category'],
  ['timezone', 'timezone'],
  ['venue', 'venue'],
] as const;

export function assertValidSchedule(start: string | Date, end: string | Date): void {
  if (new Date(end).getTime() <= new Date(start).getTime()) {
    throw new BadRequestException({
      message: 'endDatetime: must be after startDatetime',
      details: [{ field: 'endDatetime', message: 'must be after startDatetime' }],
    });
  }
}

/**
 * The SET list of an event update. A capacity change moves remaining_capacity by the same amount, and may
 * not go below the seats already taken (the caller holds the row lock, so the count cannot move meanwhile).
 */
export function buildEventChanges(current: EventDto, input: UpdateEventDto): EventChanges {
  const assignments: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown): void => {
    values.push(value);
    assignments.push(`${column} = $${values.length + 2}`);
  };
  for (const [field, column] of PLAIN_FIELDS) {
    if (input[field] !== undefined) set(column, input[field]);
  }
  const start = input.startDatetime ?? current.startDatetime;
  const end = input.endDatetime ?? current.endDatetime;
  if (input.startDatetime !== undefined || input.endDatetime !== undefined) {
    assertValidSchedule(start, end);
    set('start_datetime', start);
    set('end_datetime', end);
  }
  if (input.capacity !== undefined) {
    const taken = current.capacity - current.remainingCapacity;
    if (input.capacity < taken) {
      const message = `capacity ${input.capacity} is below the ${taken} seats already taken`;
      throw new ConflictException({ message, details: [{ field: 'capacity', message }] });
    }
    set('capacity', input.capacity);
    set('remaining_capacity', input.capacity - taken);
  }
  if (assignments.length === 0) {
    throw new BadRequestException({
      message: 'nothing to change: send at least one field besides version',
      details: [{ field: 'version', message: 'no other field given' }],
    });
  }
  const rescheduled =
    input.startDatetime !== undefined &&
    new Date(input.startDatetime).getTime() !== new Date(current.startDatetime).getTime();
  return { assignments: assignments.join(', '), values, rescheduled };
}
