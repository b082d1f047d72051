import { ApiProperty } from '@nestjs/swagger';
import type { User } from './user.js';
import { USER_ROLES, type UserRole } from './user-role.js';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  organisationId!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  static from(user: User): UserDto {
    return {
      id: user.id,
      organisationId: user.organisationId,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
    };
  }
}
