import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The schema of LiveStream Pro. Every secondary index serves a named hot query (livestream:C2):
 *   follows_following_created_idx  GET /users/:id/followers, keyset on (created_at, follower_id) DESC;
 *                                  and the go-live fan-out over a streamer's followers
 *   follows_follower_created_idx   GET /users/:id/following, keyset on (created_at, following_id) DESC
 *   streams_live_started_idx       the live list: live streams by start, newest first (partial: live rows only)
 *   streams_user_started_idx       a streamer's past streams, newest first; the FK to users
 *   profiles_username_key          profile look-up by username (unique)
 * follows' primary key (follower_id, following_id) makes a follow idempotent; a user cannot follow themself.
 */
export const LIVE_STREAMING_SCHEMA_SQL = `
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('member')),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profiles (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  username text NOT NULL,
  display_name text NOT NULL,
  avatar_url text,
  bio text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT profiles_username_key UNIQUE (username)
);

CREATE TABLE follows (
  follower_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  following_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (follower_id, following_id),
  CONSTRAINT follows_not_self CHECK (follower_id <> following_id)
);
CREATE INDEX follows_following_created_idx ON follows (following_id, created_at DESC, follower_id DESC);
CREATE INDEX follows_follower_created_idx ON follows (follower_id, created_at DESC, following_id DESC);

CREATE TABLE streams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL,
  status text NOT NULL CHECK (status IN ('live', 'ended')),
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  CONSTRAINT streams_ended_after_start CHECK (ended_at IS NULL OR ended_at >= started_at),
  CONSTRAINT streams_ended_has_end CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);
CREATE INDEX streams_live_started_idx ON streams (started_at DESC, id DESC) WHERE status = 'live';
CREATE INDEX streams_user_started_idx ON streams (user_id, started_at DESC, id DESC);
`;

export class CreateLiveStreamingSchema1790000000000 implements MigrationInterface {
  name = 'CreateLiveStreamingSchema1790000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(LIVE_STREAMING_SCHEMA_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE streams, follows, profiles, users');
  }
}
