import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { hashPassword } from '@remedy/auth';
import { DataSource, QueryFailedError } from 'typeorm';
import { UserEntity } from './user.entity.js';
import type { UserRole } from './user-role.js';

export interface NewUser {
  email: string;
  name: string;
  department: string;
  role: UserRole;
  password: string;
}

const UNIQUE_VIOLATION = '23505';

/** The users table: creation with a hashed password, look-ups for login and /me. */
@Injectable()
export class UsersService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async create(user: NewUser): Promise<UserEntity> {
    const entity = this.dataSource.getRepository(UserEntity).create({
      email: user.email.trim().toLowerCase(),
      name: user.name,
      department: user.department,
      role: user.role,
      passwordHash: await hashPassword(user.password),
    });
    try {
      const saved = await this.dataSource.getRepository(UserEntity).save(entity);
      return this.findById(saved.id);
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        throw new ConflictException(`a user with email ${entity.email} already exists`);
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
