import { ApiProperty } from '@nestjs/swagger';
import type { UserEntity } from './user.entity.js';
import { USER_ROLES, type UserRole } from './user-role.js';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  static from(user: UserEntity): UserDto {
    return { id: user.id, email: user.email, role: user.role };
  }
}
