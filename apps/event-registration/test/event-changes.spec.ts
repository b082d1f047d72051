import { describe, expect, it } from '@jest/globals';
import { BadRequestException, ConflictException } from '@nestjs/common';
import { buildEventChanges } from '../src/events/event-changes.js';
import type { EventDto } from '../src/events/event.dto.js';
import type { UpdateEventDto } from '../src/events/update-event.dto.js';

const current = {
  capacity: 100,
  remainingCapacity: 40,
  startDatetime: new Date('2031-05-01T09:00:00Z'),
  endDatetime: new Date('2031-05-01T11:00:00Z'),
} as EventDto;

const update = (fields: Partial<UpdateEventDto>): UpdateEventDto => ({ version: 3, ...fields });

describe('buildEventChanges', () => {
  it('moves remaining capacity with the capacity, keeping the 60 seats taken', () => {
    const changes = buildEventChanges(current, update({ capacity: 70 }));
    expect(changes.assignments).toBe('capacity = $3, remaining_capacity = $4');
    expect(changes.values).toEqual([70, 10]);
  });

  it('refuses a capacity below the seats taken', () => {
    expect(() => buildEventChanges(current, update({ capacity: 59 }))).toThrow(ConflictException);
  });

  it('flags a reschedule and checks the new end against the new start', () => {
    const moved = buildEventChanges(
      current,
      update({ startDatetime: '2031-06-01T09:00:00.000Z', endDatetime: '2031-06-01T10:00:00.000Z' }),
    );
    expect(moved.rescheduled).toBe(true);
    expect(() => buildEventChanges(current, update({ startDatetime: '2031-05-01T12:00:00.000Z' }))).toThrow(
      BadRequestException,
    );
    expect(buildEventChanges(current, update({ endDatetime: '2031-05-01T12:00:00.000Z' })).rescheduled).toBe(
      false,
    );
  });

  it('needs at least one field to change', () => {
    expect(() => buildEventChanges(current, update({}))).toThrow(BadRequestException);
  });
});
