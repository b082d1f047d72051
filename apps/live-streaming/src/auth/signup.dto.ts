import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { USERNAME_PATTERN } from '../profiles/username.js';

export class SignupDto {
  @ApiProperty({ example: 'aiko@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'aiko_plays', pattern: USERNAME_PATTERN.source })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username: 3 to 30 letters, digits or underscores' })
  username!: string;

  @ApiProperty({ example: 'Aiko Tanaka' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ minLength: 12, example: 'correct horse battery staple' })
  @IsString()
  @Length(12, 200)
  password!: string;
}
