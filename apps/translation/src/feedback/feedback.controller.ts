import { Body, Controller, Get, NotFoundException, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { invalidField, uuidParam } from '@remedy/http';
import { CurrentMember } from '../auth/current-member.decorator.js';
import type { Member } from '../auth/member.js';
import { USER_ROLES } from '../users/user-role.js';
import { FeedbackDto, QualityReportDto } from './feedback.dto.js';
import { MAX_QUALITY_RANGE_DAYS, QualityQueryDto } from './quality-query.dto.js';
import { RateTranslationDto } from './rate-translation.dto.js';
import { TranslationFeedback } from './translation-feedback.js';

const DAY_MS = 86_400_000;

@ApiTags('feedback')
@ApiBearerAuth()
@Controller()
export class FeedbackController {
  constructor(private readonly feedback: TranslationFeedback) {}

  @Post('sessions/:id/messages/:messageId/feedback')
  @Roles(...USER_ROLES)
  @ApiOperation({
    summary:
      'Rate the translation of a chat message you received (your participant language); a second rating replaces the first',
  })
  @ApiCreatedResponse({ type: FeedbackDto })
  @ApiNotFoundResponse({
    description:
      'no such message in a session of yours, or no translation of it into your language in the last 30 days',
  })
  async rate(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) sessionId: string,
    @Param('messageId', uuidParam('messageId')) messageId: string,
    @Body() dto: RateTranslationDto,
  ): Promise<FeedbackDto> {
    const rating = { rating: dto.rating, ...(dto.comment === undefined ? {} : { comment: dto.comment }) };
    const stored = await this.feedback.rate(member, { sessionId, messageId }, rating);
    // One answer for every reason: a caller cannot probe other sessions' messages.
    if (stored === null)
      throw new NotFoundException(`no translation of message ${messageId} for you to rate`);
    return stored;
  }

  @Get('feedback/quality')
  @Roles('organiser')
  @ApiOperation({
    summary:
      "Your organisation's translation quality per language pair and engine, from ratings made in [from, to)",
  })
  @ApiOkResponse({ type: QualityReportDto })
  async quality(@CurrentMember() member: Member, @Query() query: QualityQueryDto): Promise<QualityReportDto> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (to <= from) throw invalidField('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_QUALITY_RANGE_DAYS * DAY_MS)
      throw invalidField('to', `must be at most ${MAX_QUALITY_RANGE_DAYS} days after from`);
    const groups = await this.feedback.quality(member.organisationId, { from, to });
    return { from: from.toISOString(), to: to.toISOString(), groups };
  }
}
