import { BadRequestException, Body, Controller, Headers, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGatewayTimeoutResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { CreateTipDto } from './create-tip.dto.js';
import { IDEMPOTENCY_KEY_PATTERN } from './tip.policy.js';
import { TipDto } from './tip.dto.js';
import { TipsService } from './tips.service.js';

@ApiTags('tips')
@ApiBearerAuth()
@Controller('streams/:id/tips')
export class TipsController {
  constructor(private readonly tips: TipsService) {}

  @Post()
  @ApiOperation({
    summary:
      "Tip this stream's streamer; a retry with the same Idempotency-Key returns the same tip, charged once",
  })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Chosen by the client for this tip and sent again on every retry of it',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
  })
  @ApiCreatedResponse({ type: TipDto })
  @ApiBadRequestResponse({
    description: 'bad amount, missing or malformed Idempotency-Key, or your own stream',
  })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'the Idempotency-Key was used for a different tip' })
  @ApiServiceUnavailableResponse({
    description: 'payments are failing fast while the provider is down; see Retry-After',
  })
  @ApiGatewayTimeoutResponse({ description: 'the provider did not answer in time; retry with the same key' })
  tip(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) streamId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: CreateTipDto,
  ): Promise<TipDto> {
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      throw new BadRequestException(
        'an Idempotency-Key header of 8-100 letters, digits, "-", "_" or ":" is required',
      );
    }
    return this.tips.tip(user.id, streamId, body.amountCents, idempotencyKey);
  }
}
