import { Inject, Injectable } from '@nestjs/common';
import { InvalidAccessTokenError } from '@remedy/auth';
import { DataSource } from 'typeorm';

/** Users remembered per process; past it the oldest entry goes (≈ 100 bytes each). */
const REMEMBERED_USERS = 10_000;

/**
 * Which organisation a user belongs to, for the org scope of every protected route. A user never changes
 * organisation (no route moves one), so the answer is kept in process memory: an authenticated request costs
 * no round trip for its scope after the user's first. A deleted user's token is refused here (401).
 */
@Injectable()
export class OrganisationMembership {
  private readonly organisationOf = new Map<string, string>();

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async of(userId: string): Promise<string> {
    const known = this.organisationOf.get(userId);
    if (known !== undefined) return known;
    const rows = await this.dataSource.query<{ organisation_id: string }[]>(
      'SELECT organisation_id FROM users WHERE id = $1',
      [userId],
    );
    const organisationId = rows[0]?.organisation_id;
    if (organisationId === undefined) throw new InvalidAccessTokenError('the token names no current user');
    if (this.organisationOf.size >= REMEMBERED_USERS) {
      const oldest = this.organisationOf.keys().next().value;
      if (oldest !== undefined) this.organisationOf.delete(oldest);
    }
    this.organisationOf.set(userId, organisationId);
    return organisationId;
  }
}
