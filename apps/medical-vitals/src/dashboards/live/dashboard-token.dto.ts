import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, IsUUID, Length } from 'class-validator';
import { IsOmittable } from '@remedy/http';

export class IssueDashboardTokenDto {
  @ApiProperty({
    description: 'Who or what watches (a nurse station, a display).',
    minLength: 1,
    maxLength: 100,
  })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Wards the token may watch, each within your scope; omit for all of your wards.',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  wardIds?: string[];
}

export class DashboardTokenDto {
  @ApiProperty({ description: 'Send as { "type": "auth", "token" } in the first /live message.' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
