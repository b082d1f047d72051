import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../users/user.dto.js';

export class SessionDto {
  @ApiProperty({ description: 'Bearer token, valid for `expiresIn` seconds (15 min).' })
  accessToken!: string;

  @ApiProperty({ description: 'One-time token for POST /auth/refresh, valid 7 days.' })
  refreshToken!: string;

  @ApiProperty({ example: 900 })
  expiresIn!: number;

  @ApiProperty({ type: UserDto })
  user!: UserDto;
}
