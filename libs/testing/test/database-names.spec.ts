import { assertTestDatabaseName } from '@remedy/testing';
import {
  isStaleHarnessDatabase,
  isolatedDatabaseName,
  newRunId,
  seededTemplateDatabaseName,
  templateDatabaseName,
} from '../src/database/database-names.js';

describe('database names', () => {
  it('refuses a database whose name lacks "test"', () => {
    expect(() => assertTestDatabaseName('events_production')).toThrow(/must contain "test"/);
    expect(() => assertTestDatabaseName('events_test')).not.toThrow();
  });

  it('names what it creates so it can recognise stale leftovers by age', () => {
    const now = Date.now();
    const fresh = isolatedDatabaseName('event-registration', newRunId());
    expect(fresh).toMatch(/^remedy_test_event_registration_[0-9a-f]{6}_/);
    expect(fresh.length).toBeLessThanOrEqual(63);
    expect(isStaleHarnessDatabase(fresh, now)).toBe(false);
    expect(isStaleHarnessDatabase(fresh, now + 3 * 60 * 60 * 1000)).toBe(true);
    expect(isStaleHarnessDatabase('remedy_test_manual', now)).toBe(false);
    expect(templateDatabaseName('outbox', 'abc')).toBe('remedy_test_tpl_outbox_abc');
    // The run's owner drops what a run left behind by this suffix.
    expect(isolatedDatabaseName('outbox', 'abc')).toMatch(/_abc$/);
    const seeded = seededTemplateDatabaseName(
      'event-registration',
      'events:S-4 a long seed name',
      newRunId(),
    );
    expect(seeded).toMatch(/^remedy_test_tpl_event_registration_[0-9a-f]{8}_/);
    expect(seeded.length).toBeLessThanOrEqual(63);
    expect(isStaleHarnessDatabase(seeded, now + 3 * 60 * 60 * 1000)).toBe(true);
    expect(seededTemplateDatabaseName('outbox', 'a', 'abc')).not.toBe(
      seededTemplateDatabaseName('outbox', 'b', 'abc'),
    );
  });
});
