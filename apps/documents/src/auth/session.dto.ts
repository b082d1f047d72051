import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../users/user.dto.js';

export class AuthSessionDto {
  @ApiProperty({ description: 'Bearer token, valid for `expiresIn` seconds (1 h).' })
  accessToken!: string;

  @ApiProperty({ description: 'One-time token for POST /auth/refresh, valid 7 days.' })
  refreshToken!: string;

  @ApiProperty({ example: 3600 })
  expiresIn!: number;

  @ApiProperty({ type: UserDto })
  user!: UserDto;
}

export class RefreshedAuthSessionDto {
  @ApiProperty({ description: 'Bearer token, valid for `expiresIn` seconds (1 h).' })
  accessToken!: string;

  @ApiProperty({ description: 'The next one-time refresh token; the one just used is spent.' })
  refreshToken!: string;

  @ApiProperty({ example: 3600 })
  expiresIn!: number;
}
