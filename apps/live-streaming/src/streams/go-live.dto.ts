import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** What a streamer gives when going live. */
export class GoLiveDto {
  @ApiProperty({ example: 'Speedrun practice', minLength: 1, maxLength: 140 })
  @IsString()
  @Length(1, 140)
  title!: string;

  @ApiProperty({ example: 'games', pattern: '^[a-z0-9-]{2,40}$' })
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'category must be 2 to 40 lower-case letters, digits or dashes' })
  category!: string;
}
