import { defineBench } from '@remedy/testing';
import reminderBatch from '../findings/c-2-reminder-batch.finding.js';
import { eventRegistrationHarness } from '../findings/support/event-registration-harness.js';

/**
 * events:C-2 at full size, both variants in one run (each on its own seeded day): database queries, SES
 * calls and wall time of the nested-loop batch vs the join + queued SendBulkEmail jobs.
 */
export default defineBench({
  name: 'event-registration: reminder batch (500 events × 20 registrations)',
  harness: eventRegistrationHarness,
  async run(ctx) {
    const flawed = await reminderBatch.measure('flawed', ctx);
    // One database for both runs: clear the flawed run's day and its users (both runs seed the same e-mail
    // addresses), so the remediated run sees only its own.
    await ctx.pool.query('TRUNCATE registrations, survey_responses, events, users CASCADE');
    const remediated = await reminderBatch.measure('remediated', ctx);
    if (typeof flawed === 'number' || typeof remediated === 'number') throw new Error('expected details');
    const wall = (m: typeof flawed): number => Number(m.details?.['wall time (s)']);
    return {
      'queries (flawed)': flawed.details?.['SQL queries'] ?? '',
      'queries (remediated)': remediated.details?.['SQL queries'] ?? '',
      'SES calls (flawed)': flawed.details?.['SES calls'] ?? '',
      'SES calls (remediated)': remediated.details?.['SES calls'] ?? '',
      'wall time s (flawed)': wall(flawed),
      'wall time s (remediated)': wall(remediated),
      'speed-up': Number((wall(flawed) / wall(remediated)).toFixed(1)),
    };
  },
});
