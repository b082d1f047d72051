import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { ASSIGNABLE_ROLES, type UserRole } from './user-role.js';

/** A user an admin adds to their organisation, with the password they will log in with first. */
export class AddUserDto {
  @ApiProperty({ example: 'kenji@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Kenji Sato' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ enum: ASSIGNABLE_ROLES })
  @IsIn(ASSIGNABLE_ROLES)
  role!: UserRole;

  @ApiProperty({ minLength: 12, example: 'correct horse battery staple' })
  @IsString()
  @Length(12, 200)
  password!: string;
}
