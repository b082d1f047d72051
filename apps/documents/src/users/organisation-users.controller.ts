import { Body, Controller, Get, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@remedy/auth';
import { CurrentMember } from '../auth/current-member.decorator.js';
import type { Member } from '../auth/member.js';
import { AddUserDto } from './add-user.dto.js';
import { UserDto } from './user.dto.js';
import { USER_ROLES } from './user-role.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class OrganisationUsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @Roles(...USER_ROLES)
  @ApiOperation({ summary: 'The caller: role and organisation' })
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentMember() member: Member): Promise<UserDto> {
    return UserDto.from(await this.users.findById(member.id));
  }

  @Post('organisation/users')
  @Roles('admin')
  @ApiOperation({ summary: "Add an editor, viewer or admin to the caller's organisation" })
  @ApiCreatedResponse({ type: UserDto })
  @ApiForbiddenResponse({ description: 'only admins add users' })
  @ApiConflictResponse({ description: 'the e-mail is taken' })
  async add(@CurrentMember() member: Member, @Body() dto: AddUserDto): Promise<UserDto> {
    return UserDto.from(await this.users.addToOrganisation(member.organisationId, dto.role, dto));
  }
}
