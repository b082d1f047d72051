import type pg from 'pg';

/*
 * events:M-2 — cancel and check-in as the reviewed design leaves them: read the registration, check its
 * status in the application, write the new status. No version, no status in the UPDATE's WHERE: the last
 * writer wins, and both callers are told they succeeded. `afterRead` lets the measurement line the two
 * requests up so both read before either writes (what happens on its own under load).
 */
export async function transitionWithoutLock(
  pool: pg.Pool,
  registrationId: string,
  to: 'cancelled' | 'checked_in',
  afterRead: () => Promise<void>,
): Promise<void> {
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM registrations WHERE id = $1', [
    registrationId,
  ]);
  if (rows[0]?.status !== 'registered') throw new Error(`registration is ${rows[0]?.status ?? 'missing'}`);
  await afterRead();
  const stamp = to === 'cancelled' ? 'cancelled_at' : 'checked_in_at';
  await pool.query(`UPDATE registrations SET status = $1, ${stamp} = now() WHERE id = $2`, [
    to,
    registrationId,
  ]);
  if (to === 'cancelled') {
    await pool.query(
      'UPDATE events SET remaining_capacity = remaining_capacity + 1 WHERE id = (SELECT event_id FROM registrations WHERE id = $1)',
      [registrationId],
    );
  }
}
