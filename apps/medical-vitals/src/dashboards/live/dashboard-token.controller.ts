import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DashboardTokens } from './dashboard-token.service.js';
import { DashboardTokenDto, IssueDashboardTokenDto } from './dashboard-token.dto.js';

/**
 * Issues /live tokens. In a hospital this endpoint sits behind the staff single sign-on (the gateway in
 * front of the service); the demo leaves it open so the ward page can fetch one.
 */
@ApiTags('dashboards')
@Controller('dashboard/tokens')
export class DashboardTokenController {
  constructor(@Inject(DashboardTokens) private readonly tokens: DashboardTokens) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'A signed token for the /live WebSocket (first message `{ type: "auth", token }`).',
  })
  @ApiOkResponse({ type: DashboardTokenDto })
  issue(@Body() body: IssueDashboardTokenDto): DashboardTokenDto {
    return this.tokens.issue(body.name, body.wardIds ?? null);
  }
}
