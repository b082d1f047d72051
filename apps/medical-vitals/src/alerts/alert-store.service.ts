import { Inject, Injectable } from '@nestjs/common';
import type { PgPool } from '@remedy/pooling';
import { PRIMARY_POOL } from '../database/database.tokens.js';
import type { RaisedAlert } from './alert.js';

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

  /** The new alert, or undefined when this episode already has one. */
  async raise(alert: Omit<RaisedAlert, 'id'> & { ruleId: string }): Promise<RaisedAlert | undefined> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO alerts (rule_id, patient_id, ward_id, metric, value, threshold, raised_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
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

  async clear(ruleId: string, patientId: string, at: string): Promise<void> {
    await this.pool.query(
      'UPDATE alerts SET cleared_at = $3 WHERE rule_id = $1 AND patient_id = $2 AND cleared_at IS NULL',
      [ruleId, patientId, at],
    );
  }
}
