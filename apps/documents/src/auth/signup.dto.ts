import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

/** Signing up creates an organisation with the caller as its first admin. */
export class SignupDto {
  @ApiProperty({ example: 'Kyoto Tech Summit' })
  @IsString()
  @Length(1, 200)
  organisationName!: string;

  @ApiProperty({ example: 'aiko@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Aiko Tanaka' })
  @IsString()
  @Length(1, 100)
  displayName!: string;

  @ApiProperty({ minLength: 12, example: 'correct horse battery staple' })
  @IsString()
  @Length(12, 200)
  password!: string;
}
