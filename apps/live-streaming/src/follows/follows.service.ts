import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';

const FOREIGN_KEY_VIOLATION = '23503';

/** Follow and unfollow: both idempotent, so a retried request changes nothing. */
@Injectable()
export class FollowsService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async follow(followerId: string, followingId: string): Promise<void> {
    if (followerId === followingId) throw new BadRequestException('you cannot follow yourself');
    try {
      await this.dataSource.query(
        `INSERT INTO follows (follower_id, following_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [followerId, followingId],
      );
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === FOREIGN_KEY_VIOLATION) {
        throw new NotFoundException(`user ${followingId} not found`);
      }
      throw error;
    }
  }

  async unfollow(followerId: string, followingId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM follows WHERE follower_id = $1 AND following_id = $2`, [
      followerId,
      followingId,
    ]);
  }
}
