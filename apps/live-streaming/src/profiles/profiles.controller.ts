import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@remedy/auth';
import { uuidParam } from '@remedy/http';
import { ProfileDto } from './profile.dto.js';
import { ProfilesService } from './profiles.service.js';
import { UpdateProfileDto } from './update-profile.dto.js';

@ApiTags('profiles')
@ApiBearerAuth()
@Controller()
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get('me')
  @ApiOperation({ summary: "The caller's own profile" })
  @ApiOkResponse({ type: ProfileDto })
  me(@CurrentUser() user: AuthenticatedUser): Promise<ProfileDto> {
    return this.profiles.get(user.id);
  }

  @Patch('me/profile')
  @ApiOperation({
    summary: "Change the caller's display name, avatar or bio; every instance serves the change at once",
  })
  @ApiOkResponse({ type: ProfileDto })
  update(@CurrentUser() user: AuthenticatedUser, @Body() changes: UpdateProfileDto): Promise<ProfileDto> {
    return this.profiles.update(user.id, changes);
  }

  @Get('users/:id/profile')
  @ApiOperation({ summary: "A user's public profile (served from the cache after the first read)" })
  @ApiParam({ name: 'id', type: 'string', format: 'uuid' })
  @ApiOkResponse({ type: ProfileDto })
  @ApiNotFoundResponse()
  get(@Param('id', uuidParam('id')) id: string): Promise<ProfileDto> {
    return this.profiles.get(id);
  }
}
