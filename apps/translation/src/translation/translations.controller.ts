import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { bindCorrelation } from '@remedy/observability';
import { CurrentMember } from '../auth/current-member.decorator.js';
import type { Member } from '../auth/member.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { TranslateDto, TranslationsDto } from './translate.dto.js';
import { translationFailure } from './translation-failure.js';
import { Translator } from './translator.service.js';

@ApiTags('translations')
@ApiBearerAuth()
@Controller('translations')
export class TranslationsController {
  constructor(
    private readonly translator: Translator,
    private readonly sessions: SessionsService,
  ) {}

  @Post()
  @HttpCode(200)
  // Every call may cost provider quota: organisers and speakers only, within their own organisation.
  @Roles('organiser', 'speaker')
  @ApiOperation({
    summary:
      "Translate texts with the organisation's glossary for the pair (cached; Google v3, DeepL v2 fallback)",
  })
  @ApiOkResponse({ type: TranslationsDto })
  @ApiForbiddenResponse({ description: 'viewers do not translate on demand' })
  @ApiNotFoundResponse({ description: 'sessionId names no session in your organisation' })
  @ApiBadGatewayResponse({ description: 'the engine refused the text' })
  @ApiServiceUnavailableResponse({ description: 'every engine failed or is over its quota (Retry-After)' })
  async translate(@CurrentMember() member: Member, @Body() dto: TranslateDto): Promise<TranslationsDto> {
    // polyglot-b:I-3: every later line of this request (cache, batcher, engines, errors) names the session too.
    if (dto.sessionId !== undefined) {
      bindCorrelation({ sessionId: dto.sessionId });
      await this.sessions.get(member, dto.sessionId);
    }
    try {
      const translations = await this.translator.translate({ ...dto, organisationId: member.organisationId });
      return { translations };
    } catch (error) {
      throw translationFailure(error);
    }
  }
}
