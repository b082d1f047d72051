import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { RegistrationDto } from '../registrations/registration.dto.js';

export class CheckinRequestDto {
  @ApiProperty({ description: 'The token from the attendee QR code' })
  @IsString()
  @Length(1, 2000)
  token!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The event this desk checks in; a token for another is a 403',
  })
  @IsOptional()
  @IsUUID()
  eventId?: string;
}

export class CheckinResultDto {
  @ApiProperty({ type: RegistrationDto })
  registration!: RegistrationDto;

  @ApiProperty({ description: 'true when this token had already checked the attendee in (nothing changed)' })
  alreadyCheckedIn!: boolean;
}

export class CheckinQrDto {
  @ApiProperty()
  token!: string;

  @ApiProperty({ description: 'PNG data URL of a QR code holding the token' })
  qrDataUrl!: string;

  @ApiProperty()
  expiresAt!: string;
}
