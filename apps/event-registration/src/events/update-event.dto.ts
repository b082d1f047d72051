import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { CreateEventDto } from './create-event.dto.js';

/**
 * Any subset of the fields, plus the `version` the client read: a concurrent update makes this a 409. A field
 * left out is unchanged; a field sent as null is a 400 (`skipNullProperties: false`), never a stored null.
 */
export class UpdateEventDto extends PartialType(CreateEventDto, { skipNullProperties: false }) {
  @ApiProperty({ description: 'The version the change is based on.' })
  @IsInt()
  @Min(1)
  version!: number;
}

/** Publish and cancel name the version they act on too. */
export class EventVersionDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  version!: number;
}
