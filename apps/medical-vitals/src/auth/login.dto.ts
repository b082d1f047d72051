import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'nina@hospital.example' }) @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @Length(1, 200) password!: string;
}

export class RefreshTokenDto {
  @ApiProperty({ description: 'The refresh token of the last login or refresh; it works once.' })
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}

export class SessionDto {
  @ApiProperty({ description: 'Bearer token for every route, valid `expiresIn` seconds.' })
  accessToken!: string;
  @ApiProperty({ description: 'One-time token for POST /auth/refresh.' }) refreshToken!: string;
  @ApiProperty({ example: 900 }) expiresIn!: number;
}
