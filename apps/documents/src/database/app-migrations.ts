import { CreateRefreshTokenTables1767312000000 } from '@remedy/auth';
import { CreateOutboxTables1767225600000 } from '@remedy/outbox';
import { CreateDocumentsSchema1792000000000 } from '../migrations/1792000000000-create-documents-schema.js';
import { CreateDocumentSearch1792000002000 } from '../migrations/1792000002000-create-document-search.js';
import { CreateDocumentUpdates1792000003000 } from '../migrations/1792000003000-create-document-updates.js';
import { CreateDocumentVersions1792000004000 } from '../migrations/1792000004000-create-document-versions.js';
import { AddDocumentWriterEpoch1792000005000 } from '../migrations/1792000005000-add-document-writer-epoch.js';
import { AddDocumentSearchRecentIndex1792000006000 } from '../migrations/1792000006000-add-document-search-recent-index.js';
import { CreateDocumentSearchWords1792000007000 } from '../migrations/1792000007000-create-document-search-words.js';

/** The schema history in order; later migrations append here (timestamps after the last entry). */
export const APP_MIGRATIONS = [
  CreateOutboxTables1767225600000,
  CreateRefreshTokenTables1767312000000,
  CreateDocumentsSchema1792000000000,
  CreateDocumentSearch1792000002000,
  CreateDocumentUpdates1792000003000,
  CreateDocumentVersions1792000004000,
  AddDocumentWriterEpoch1792000005000,
  AddDocumentSearchRecentIndex1792000006000,
  CreateDocumentSearchWords1792000007000,
];
