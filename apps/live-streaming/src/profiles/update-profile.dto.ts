import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOmittable } from '@remedy/http';
import { IsString, IsUrl, Length, MaxLength } from 'class-validator';

/** The fields a member may change on their own profile; the username is fixed at signup. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Aiko Tanaka' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  displayName?: string;

  @ApiPropertyOptional({ example: 'https://cdn.example.com/avatars/aiko.png' })
  @IsOmittable()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(500)
  avatarUrl?: string;

  @ApiPropertyOptional({ example: 'Speedruns on weekends.' })
  @IsOmittable()
  @IsString()
  @MaxLength(1_000)
  bio?: string;
}
