import { ProfileEntity } from '../profiles/profile.entity.js';
import { UserEntity } from '../users/user.entity.js';

/** Every TypeORM entity of the app; features that read with plain SQL (follows, streams) have none. */
export const APP_ENTITIES = [UserEntity, ProfileEntity];
