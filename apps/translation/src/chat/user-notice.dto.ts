import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class SendNoticeDto {
  @ApiProperty({ example: 'The keynote starts in five minutes', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  text!: string;
}

export class PresenceDto {
  @ApiProperty({ description: 'Whether the user has a /chat socket open on any instance.' })
  online!: boolean;

  @ApiProperty({
    description: 'How many instances hold the user’s sockets (the connection registry, Redis).',
  })
  instances!: number;
}
