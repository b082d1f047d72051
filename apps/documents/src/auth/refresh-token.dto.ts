import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RefreshTokenDto {
  @ApiProperty({ description: 'The refresh token from the last login or refresh; it works once.' })
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}
