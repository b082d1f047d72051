import { CreateRefreshTokenTables1767312000000 } from '@remedy/auth';
import { CreateLiveStreamingSchema1790000000000 } from '../migrations/1790000000000-create-live-streaming-schema.js';
import { AddStreamCategoryAndOneLiveStream1790000001000 } from '../migrations/1790000001000-add-stream-category-and-one-live-stream.js';
import { CreateTips1790000004000 } from '../migrations/1790000004000-create-tips.js';
import { CreateGoLiveNotifications1790000005000 } from '../migrations/1790000005000-create-go-live-notifications.js';
import { CreateStreamArchives1790000006000 } from '../migrations/1790000006000-create-stream-archives.js';

/** The schema history in order; later migrations append here (timestamps after the last entry). */
export const APP_MIGRATIONS = [
  CreateRefreshTokenTables1767312000000,
  CreateLiveStreamingSchema1790000000000,
  AddStreamCategoryAndOneLiveStream1790000001000,
  CreateTips1790000004000,
  CreateGoLiveNotifications1790000005000,
  CreateStreamArchives1790000006000,
];
