import { CreateRefreshTokenTables1767312000000 } from '@remedy/auth';
import { CreateOutboxTables1767225600000 } from '@remedy/outbox';
import { CreateTranslationSchema1791000000000 } from '../migrations/1791000000000-create-translation-schema.js';
import { CreateTranslationHistory1791000002000 } from '../migrations/1791000002000-create-translation-history.js';
import { CreateChatMessages1791000004000 } from '../migrations/1791000004000-create-chat-messages.js';
import { CreateTranslationFeedback1791000008000 } from '../migrations/1791000008000-create-translation-feedback.js';

/** The schema history in order; later migrations append here (timestamps after the last entry). */
export const APP_MIGRATIONS = [
  CreateOutboxTables1767225600000,
  CreateRefreshTokenTables1767312000000,
  CreateTranslationSchema1791000000000,
  CreateTranslationHistory1791000002000,
  CreateChatMessages1791000004000,
  CreateTranslationFeedback1791000008000,
];
