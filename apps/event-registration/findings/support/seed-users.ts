import { hashPassword } from '@remedy/auth';
import type pg from 'pg';

export const TEST_PASSWORD = 'correct horse battery staple';

let cachedHash: Promise<string> | undefined;

/** One scrypt hash shared by every seeded user: hashing thousands of passwords would dominate a seed. */
export function testPasswordHash(): Promise<string> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return cachedHash;
}

/** An organiser row, as `create-organiser.command.ts` would make it; log in with TEST_PASSWORD. */
export async function seedOrganiser(pool: pg.Pool, email: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (email, name, department, role, password_hash)
     VALUES ($1, $2, 'Events', 'organiser', $3) RETURNING id`,
    [email.toLowerCase(), email.split('@')[0], await testPasswordHash()],
  );
  return rows[0]!.id;
}

/** `count` attendees in one statement; returns their ids in creation order. */
export async function seedAttendees(pool: pg.Pool, count: number, tag: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (email, name, department, role, password_hash)
     SELECT $1 || '-' || i || '@example.com', 'Attendee ' || i, 'Dept ' || (i % 7), 'attendee', $2
       FROM generate_series(1, $3) AS i
     ORDER BY i
     RETURNING id`,
    [tag.toLowerCase(), await testPasswordHash(), count],
  );
  return rows.map((row) => row.id);
}
