import { ApiProperty } from '@nestjs/swagger';

export class DepartmentCountDto {
  @ApiProperty() department!: string;
  @ApiProperty({
    description: 'Registrations that are not cancelled (registered, waitlisted or checked in).',
  })
  registrations!: number;
  @ApiProperty() checkedIn!: number;
}

/** What the organiser's dashboard shows for one event. */
export class EventStatsDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ format: 'uuid' }) organiserId!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ description: 'Every registration row, whatever its status.' }) total!: number;
  @ApiProperty({ description: 'Holding a seat: registered or checked in.' }) registered!: number;
  @ApiProperty() checkedIn!: number;
  @ApiProperty() cancelled!: number;
  @ApiProperty() waitlisted!: number;
  @ApiProperty() surveyResponses!: number;
  @ApiProperty({ description: 'Survey responses ÷ checked-in attendees, 0..1 (0 when nobody checked in).' })
  surveyResponseRate!: number;
  @ApiProperty({ type: [DepartmentCountDto] }) byDepartment!: DepartmentCountDto[];
}
