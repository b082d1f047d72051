import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { CurrentMember } from '../auth/current-member.decorator.js';
import type { Member } from '../auth/member.js';
import { UsersService } from '../users/users.service.js';
import { ChatPresence } from './chat-presence.js';
import { PresenceDto, SendNoticeDto } from './user-notice.dto.js';

/**
 * An organiser reaches one user of their organisation on /chat, whichever instance holds the user's sockets
 * (polyglot-a:S-2, polyglot-b:S-4), and asks whether the user is online. A notice is live only: a user with no
 * socket open gets nothing later (the answer says `instances: 0`).
 */
@ApiTags('chat')
@ApiBearerAuth()
@Controller('users/:id')
export class UserNoticesController {
  constructor(
    @Inject(ChatPresence) private readonly presence: ChatPresence,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Post('notices')
  @HttpCode(202)
  @Roles('organiser')
  @ApiOperation({ summary: 'Send a notice to every /chat socket of a user of your organisation' })
  @ApiAcceptedResponse({ type: PresenceDto })
  @ApiNotFoundResponse({ description: 'no such user in your organisation' })
  async send(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) userId: string,
    @Body() dto: SendNoticeDto,
  ): Promise<PresenceDto> {
    await this.ofOrganisation(member, userId);
    const instances = await this.presence.sendToUser(userId, {
      type: 'notice',
      from: member.id,
      text: dto.text,
    });
    return { online: instances > 0, instances };
  }

  @Get('presence')
  @Roles('organiser')
  @ApiOperation({ summary: 'Whether a user of your organisation is on /chat, and on how many instances' })
  @ApiOkResponse({ type: PresenceDto })
  @ApiNotFoundResponse({ description: 'no such user in your organisation' })
  async presenceOf(
    @CurrentMember() member: Member,
    @Param('id', uuidParam('id')) userId: string,
  ): Promise<PresenceDto> {
    await this.ofOrganisation(member, userId);
    const instances = (await this.presence.instancesOf(userId)).length;
    return { online: instances > 0, instances };
  }

  /** Another organisation's user is a 404, like a missing one: no probing for users elsewhere. */
  private async ofOrganisation(member: Member, userId: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (user.organisationId !== member.organisationId)
      throw new NotFoundException(`user ${userId} not found`);
  }
}
