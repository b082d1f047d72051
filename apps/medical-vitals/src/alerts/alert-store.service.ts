import { Inject, Injectable } from '@nestjs/common';
import type { PgPool } from '@remedy/pooling';
import { PRIMARY_POOL } from '../database/database.tokens.js';
import type { ClearedAlert, RaisedAlert } from './alert.js';

export function episodeKey(ruleId: string, patientId: string): string {
  return `${ruleId}|${patientId}`;
}

/**
 * Alert episodes in Postgres. The partial unique index alerts_open_episode_uq allows one open alert per
 * rule and patient, so a raise while an episode is open (a redelivered stream entry, a second consumer)
 * inserts nothing: exactly one alert per breach episode.
 */
@Injectable()
export class AlertStore {
  constructor(@Inject(PRIMARY_POOL) private readonly pool: PgPool) {}

  async openEpisodes(patientIds: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ rule_id: string; patient_id: string }>(
      'SELECT rule_id, patient_id FROM alerts WHERE patient_id = ANY($1::uuid[]) AND cleared_at IS NULL',
      [patientIds],
    );
    return new Set(rows.map((row) => episodeKey(row.rule_id, row.patient_id)));
  }

  /**
   * The new alert, or undefined when this episode already has one or the rule is no longer enabled. The
   * evaluator may judge a reading by a rule it read before the rule was disabled: the insert takes the
   * rule's row FOR SHARE, so it waits for a disabling in progress and then sees `enabled` false, and a
   * disabling waits for it and then clears what it inserted (see clearDisabledRule).
   */
  async raise(alert: Omit<RaisedAlert, 'id'> & { ruleId: string }): Promise<RaisedAlert | undefined> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO alerts (rule_id, patient_id, ward_id, metric, value, threshold, raised_at)
       SELECT rule.id, $2::uuid, $3::uuid, $4::text, $5::numeric, $6::numeric, $7::timestamptz
         FROM alert_rules rule WHERE rule.id = $1 AND rule.enabled FOR SHARE
       ON CONFLICT (rule_id, patient_id) WHERE cleared_at IS NULL DO NOTHING
       RETURNING id`,
      [
        alert.ruleId,
        alert.patientId,
        alert.wardId,
        alert.metric,
        alert.value,
        alert.threshold,
        alert.raisedAt,
      ],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      patientId: alert.patientId,
      wardId: alert.wardId,
      metric: alert.metric,
      value: alert.value,
      threshold: alert.threshold,
      raisedAt: alert.raisedAt,
    };
  }

  /** Ends the open episode of this rule and patient; the alert it ended, or undefined when none was open. */
  async clear(ruleId: string, patientId: string, at: string): Promise<ClearedAlert | undefined> {
    const { rows } = await this.pool.query<ClearedAlertRow>(
      `UPDATE alerts SET cleared_at = $3 WHERE rule_id = $1 AND patient_id = $2 AND cleared_at IS NULL
       RETURNING id, patient_id, ward_id`,
      [ruleId, patientId, at],
    );
    return rows[0] ? clearedAlert(rows[0], at) : undefined;
  }

  /**
   * Ends the open episodes of a rule that is disabled, as of now, in one statement; the alerts it ended.
   * A rule that is enabled again before this runs keeps its alerts. Re-enabling never reopens them: the
   * next breach raises a new alert.
   */
  async clearDisabledRule(ruleId: string): Promise<ClearedAlert[]> {
    const { rows } = await this.pool.query<ClearedAlertRow & { cleared_at: Date }>(
      `UPDATE alerts a SET cleared_at = now()
         FROM alert_rules rule
        WHERE rule.id = $1 AND NOT rule.enabled AND a.rule_id = rule.id AND a.cleared_at IS NULL
        RETURNING a.id, a.patient_id, a.ward_id, a.cleared_at`,
      [ruleId],
    );
    return rows.map((row) => clearedAlert(row, row.cleared_at.toISOString()));
  }

  /**
   * Deletes a rule; its alerts go with it (ON DELETE CASCADE). Returns the ones that were open, as cleared
   * now, or undefined when there was no such rule. The rule's row is locked first, which waits for a raise in
   * flight (it holds the row FOR SHARE) and keeps any later one out; the open alerts are read after that, so
   * they include what that raise stored. Read in the DELETE's own statement, they would come from a snapshot
   * taken before the lock wait: the raised alert would be cascaded away without its clearing ever reaching
   * the ward pages, which would show it until reloaded.
   */
  async deleteRule(ruleId: string): Promise<ClearedAlert[] | undefined> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query('SELECT 1 FROM alert_rules WHERE id = $1 FOR UPDATE', [ruleId]);
      if (locked.rowCount === 0) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const { rows: open } = await client.query<ClearedAlertRow>(
        'SELECT id, patient_id, ward_id FROM alerts WHERE rule_id = $1 AND cleared_at IS NULL',
        [ruleId],
      );
      const { rows } = await client.query<{ at: Date }>(
        'DELETE FROM alert_rules WHERE id = $1 RETURNING now() AS at',
        [ruleId],
      );
      await client.query('COMMIT');
      const at = rows[0]!.at.toISOString();
      return open.map((row) => clearedAlert(row, at));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

interface ClearedAlertRow {
  id: string;
  patient_id: string;
  ward_id: string | null;
}

function clearedAlert(row: ClearedAlertRow, clearedAt: string): ClearedAlert {
  return { id: row.id, patientId: row.patient_id, wardId: row.ward_id, clearedAt };
}
