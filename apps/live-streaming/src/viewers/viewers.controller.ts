import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '@remedy/http';
import { ViewerCounter } from './viewer-counter.js';

export class ViewerCountDto {
  @ApiProperty({ format: 'uuid' })
  streamId!: string;

  @ApiProperty({ description: 'Distinct viewers with a heartbeat in the window (HyperLogLog: ±2.5 %)' })
  viewers!: number;

  @ApiProperty({ description: 'A viewer stops counting at most this long after its last heartbeat' })
  windowSeconds!: number;
}

@ApiTags('viewers')
@ApiBearerAuth()
@ApiParam({ name: 'id', type: 'string', format: 'uuid' })
@Controller('streams/:id/viewers')
export class ViewersController {
  constructor(@Inject(ViewerCounter) private readonly counter: ViewerCounter) {}

  @Get()
  @ApiOperation({ summary: "The stream's viewer count (heartbeats over WebSocket /chat)" })
  @ApiOkResponse({ type: ViewerCountDto })
  async count(@Param('id', uuidParam('id')) streamId: string): Promise<ViewerCountDto> {
    return {
      streamId,
      viewers: await this.counter.count(streamId.toLowerCase()),
      windowSeconds: this.counter.windowSeconds,
    };
  }
}
