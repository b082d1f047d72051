import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { hashPassword } from '@remedy/auth';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { User, UserWithPassword } from './user.js';
import type { UserRole } from './user-role.js';
import { INSERT_ORGANISATION_SQL, INSERT_USER_SQL, USER_BY_ID_SQL, USER_FOR_LOGIN_SQL } from './users.sql.js';

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
}

const UNIQUE_VIOLATION = '23505';

/** The users table: admins sign up with a new organisation, admins add the other users of theirs. */
@Injectable()
export class UsersService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** A new organisation and its first admin, in one transaction; 409 when the e-mail is taken. */
  async createOrganisation(organisationName: string, admin: NewUser): Promise<User> {
    const passwordHash = await hashPassword(admin.password);
    return this.uniqueEmail(admin.email, () =>
      this.dataSource.transaction(async (manager) => {
        const [organisation] = await manager.query<{ id: string }[]>(INSERT_ORGANISATION_SQL, [
          organisationName,
        ]);
        if (!organisation) throw new Error('organisation insert returned no row');
        return insertUser(manager, organisation.id, 'admin', admin, passwordHash);
      }),
    );
  }

  /** A user of the admin's organisation with the given role; 409 when the e-mail is taken. */
  async addToOrganisation(organisationId: string, role: UserRole, user: NewUser): Promise<User> {
    const passwordHash = await hashPassword(user.password);
    return this.uniqueEmail(user.email, () =>
      insertUser(this.dataSource.manager, organisationId, role, user, passwordHash),
    );
  }

  async findById(id: string): Promise<User> {
    const [user] = await this.dataSource.query<User[]>(USER_BY_ID_SQL, [id]);
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  /** With the password hash, for login only. */
  async findForLogin(email: string): Promise<UserWithPassword | null> {
    const [user] = await this.dataSource.query<UserWithPassword[]>(USER_FOR_LOGIN_SQL, [normalEmail(email)]);
    return user ?? null;
  }

  private async uniqueEmail(email: string, insert: () => Promise<User>): Promise<User> {
    try {
      return await insert();
    } catch (error) {
      const code =
        error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      if (code === UNIQUE_VIOLATION) {
        throw new ConflictException(`a user with email ${normalEmail(email)} already exists`);
      }
      throw error;
    }
  }
}

async function insertUser(
  manager: EntityManager,
  organisationId: string,
  role: UserRole,
  user: NewUser,
  passwordHash: string,
): Promise<User> {
  const [created] = await manager.query<User[]>(INSERT_USER_SQL, [
    organisationId,
    normalEmail(user.email),
    user.displayName,
    role,
    passwordHash,
  ]);
  if (!created) throw new Error('user insert returned no row');
  return created;
}

function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}
