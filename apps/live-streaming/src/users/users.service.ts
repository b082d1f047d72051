import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { hashPassword } from '@remedy/auth';
import { DataSource, QueryFailedError } from 'typeorm';
import { ProfileEntity } from '../profiles/profile.entity.js';
import { UserEntity } from './user.entity.js';

export interface NewMember {
  email: string;
  username: string;
  displayName: string;
  password: string;
}

const UNIQUE_VIOLATION = '23505';

/** The users table: an account and its profile created together, look-ups for login. */
@Injectable()
export class UsersService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** 409 when the e-mail or the username is taken. */
  async create(member: NewMember): Promise<UserEntity> {
    const email = member.email.trim().toLowerCase();
    const passwordHash = await hashPassword(member.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await manager
          .getRepository(UserEntity)
          .save(manager.getRepository(UserEntity).create({ email, role: 'member', passwordHash }));
        await manager.getRepository(ProfileEntity).insert({
          userId: user.id,
          username: member.username,
          displayName: member.displayName,
          avatarUrl: null,
          bio: '',
        });
        return { id: user.id, email, role: user.role, createdAt: user.createdAt } as UserEntity;
      });
    } catch (error) {
      const driverError =
        error instanceof QueryFailedError
          ? (error.driverError as { code?: string; constraint?: string })
          : undefined;
      if (driverError?.code === UNIQUE_VIOLATION) {
        const what =
          driverError.constraint === 'profiles_username_key'
            ? `username ${member.username}`
            : `email ${email}`;
        throw new ConflictException(`a user with ${what} already exists`);
      }
      throw error;
    }
  }

  async findById(id: string): Promise<UserEntity> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  /** With the password hash, for login only. */
  findForLogin(email: string): Promise<UserEntity | null> {
    return this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
  }
}
