import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The whole schema of the event platform. Every index serves a named hot query (events:S-2):
 *   events_status_start_idx        GET /events?status=…  (keyset on start_datetime, id)
 *   events_published_category_idx  GET /events?category=… on published events (the review's partial index)
 *   events_start_idx               date-range filters and tomorrow's reminder batch
 *   events_organiser_idx           an organiser's events; the FK to users
 *   registrations_event_status_idx capacity, stats and reminder reads: (event_id, status) INCLUDE (checked_in_at)
 *   registrations_user_idx         "my registrations"; the FK to users
 *   survey_responses_event_submitted_idx  the organiser's keyset page of survey responses
 * registrations and survey_responses are partitioned by event_starts_at (events:S-5, ADR 0005): the
 * unique keys include it, and because it is constant per event they still mean one row per user per event.
 * The default partitions catch rows outside the premade months; partition maintenance reports and moves them.
 */
export const EVENT_PLATFORM_SCHEMA_SQL = `
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  name text NOT NULL,
  department text NOT NULL,
  role text NOT NULL CHECK (role IN ('attendee', 'organiser')),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organiser_id uuid NOT NULL REFERENCES users (id),
  title text,
  description text,
  category text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'published', 'cancelled')),
  start_datetime timestamptz NOT NULL,
  end_datetime timestamptz NOT NULL,
  venue text,
  capacity int NOT NULL CHECK (capacity > 0),
  remaining_capacity int NOT NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_end_after_start CHECK (end_datetime > start_datetime),
  CONSTRAINT events_remaining_within_capacity CHECK (remaining_capacity BETWEEN 0 AND capacity)
);
CREATE INDEX events_status_start_idx ON events (status, start_datetime, id);
CREATE INDEX events_published_category_idx ON events (category, start_datetime, id) WHERE status = 'published';
CREATE INDEX events_start_idx ON events (start_datetime, id);
CREATE INDEX events_organiser_idx ON events (organiser_id, start_datetime);

CREATE TABLE registrations (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL REFERENCES events (id),
  user_id uuid NOT NULL REFERENCES users (id),
  event_starts_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled', 'checked_in')),
  version int NOT NULL DEFAULT 1,
  registered_at timestamptz NOT NULL DEFAULT now(),
  checked_in_at timestamptz,
  cancelled_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, event_starts_at),
  CONSTRAINT registrations_one_per_user_per_event UNIQUE (event_id, user_id, event_starts_at)
) PARTITION BY RANGE (event_starts_at);
CREATE INDEX registrations_event_status_idx ON registrations (event_id, status) INCLUDE (checked_in_at);
CREATE INDEX registrations_user_idx ON registrations (user_id);
CREATE TABLE registrations_default PARTITION OF registrations DEFAULT;

CREATE TABLE survey_responses (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  event_id uuid NOT NULL REFERENCES events (id),
  user_id uuid NOT NULL REFERENCES users (id),
  event_starts_at timestamptz NOT NULL,
  answers jsonb NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, event_starts_at),
  CONSTRAINT survey_responses_one_per_user_per_event UNIQUE (event_id, user_id, event_starts_at)
) PARTITION BY RANGE (event_starts_at);
CREATE INDEX survey_responses_event_submitted_idx ON survey_responses (event_id, submitted_at, id);
CREATE TABLE survey_responses_default PARTITION OF survey_responses DEFAULT;
`;

export class CreateEventPlatformSchema1779000000000 implements MigrationInterface {
  name = 'CreateEventPlatformSchema1779000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(EVENT_PLATFORM_SCHEMA_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE survey_responses, registrations, events, users');
  }
}
