import { Body, Controller, Get, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccessTokenGuard, CurrentUser, Roles, RolesGuard, type AuthenticatedUser } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import type { KeysetPage } from '@remedy/pagination';
import { SubmitSurveyDto } from './submit-survey.dto.js';
import {
  SurveyResponseDto,
  SurveyResponsePageDto,
  SurveyResponsePageQueryDto,
} from './survey-response.dto.js';
import { SurveysService } from './surveys.service.js';
import { ApiUuidId } from '../http/api-uuid-id.js';

@ApiTags('surveys')
@ApiBearerAuth()
@UseGuards(AccessTokenGuard, RolesGuard)
@ApiUuidId()
@Controller('events/:id/survey')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Post()
  @ApiCreatedResponse({
    type: SurveyResponseDto,
    description: '403 unless checked in; 409 on a second response.',
  })
  submit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: SubmitSurveyDto,
  ): Promise<SurveyResponseDto> {
    return this.surveys.submit(id, user.id, body.answers);
  }

  @Get('responses')
  @Roles('organiser')
  @ApiOkResponse({ type: SurveyResponsePageDto })
  responses(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuidParam('id')) id: string,
    @Query() query: SurveyResponsePageQueryDto,
  ): Promise<KeysetPage<SurveyResponseDto>> {
    return this.surveys.page(id, user.id, query.cursor, query.limit);
  }
}
