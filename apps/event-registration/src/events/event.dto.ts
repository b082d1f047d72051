import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageInfoDto } from '@remedy/pagination';
import { EVENT_STATUSES, type EventStatus } from './event-status.js';

/** An event as the API returns it. */
export class EventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organiserId!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ example: 'seminar' }) category!: string;
  @ApiProperty({ enum: EVENT_STATUSES }) status!: EventStatus;
  @ApiProperty({ format: 'date-time' }) startDatetime!: Date;
  @ApiProperty({ format: 'date-time' }) endDatetime!: Date;
  @ApiProperty({ example: 'Asia/Tokyo' }) timezone!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) venue!: string | null;
  @ApiProperty() capacity!: number;
  @ApiProperty({ description: 'Seats left; in list pages this may lag by the list cache TTL.' })
  remainingCapacity!: number;
  @ApiProperty({ description: 'Send it back with an update (optimistic lock).' }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt!: Date;
}

export class EventPageDto {
  @ApiProperty({ type: [EventDto] }) data!: EventDto[];
  @ApiProperty({ type: PageInfoDto }) pagination!: PageInfoDto;
}
