import { EventEntity } from '../events/event.entity.js';
import { UserEntity } from '../users/user.entity.js';

/** Every TypeORM entity of the app; each feature appends its own. */
export const APP_ENTITIES = [EventEntity, UserEntity];
