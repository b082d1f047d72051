import type pg from 'pg';

/*
 * events:m-1 — the design has QR check-in but specifies no generation or validation: the code is just the
 * registration's identifiers, readable and writable by anyone, and valid forever. Whoever knows (or
 * guesses, or copies from a screenshot) a registration id can print a working code.
 */
export function issueQrCode(registrationId: string, eventId: string): string {
  return Buffer.from(JSON.stringify({ registrationId, eventId })).toString('base64url');
}

export async function checkInWithQrCode(pool: pg.Pool, code: string): Promise<boolean> {
  let payload: { registrationId?: string };
  try {
    payload = JSON.parse(Buffer.from(code, 'base64url').toString('utf8')) as { registrationId?: string };
  } catch {
    return false;
  }
  const result = await pool.query(
    `UPDATE registrations SET status = 'checked_in', checked_in_at = now() WHERE id = $1 AND status IN ('registered', 'checked_in')`,
    [payload.registrationId],
  );
  return (result.rowCount ?? 0) > 0;
}
