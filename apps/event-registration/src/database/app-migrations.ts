import { CreateRefreshTokenTables1767312000000 } from '@remedy/auth';
import { AddOutboxCompletion1780000000000, CreateOutboxTables1767225600000 } from '@remedy/outbox';
import { CreateEventPlatformSchema1779000000000 } from '../migrations/1779000000000-create-event-platform-schema.js';
import { AddEventTimezone1779100000000 } from '../migrations/1779100000000-add-event-timezone.js';
import { OneLiveRegistrationPerUser1780100000000 } from '../migrations/1780100000000-one-live-registration-per-user.js';

/** The schema history in order; later migrations append here (timestamps after the last entry). */
export const APP_MIGRATIONS = [
  CreateOutboxTables1767225600000,
  CreateRefreshTokenTables1767312000000,
  CreateEventPlatformSchema1779000000000,
  AddEventTimezone1779100000000,
  AddOutboxCompletion1780000000000,
  OneLiveRegistrationPerUser1780100000000,
];
