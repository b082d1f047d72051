import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessTokenGuard, Roles, RolesGuard } from '@remedy/auth';
import { SignupDto } from '../auth/signup.dto.js';
import { UserDto } from './user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('users')
@UseGuards(AccessTokenGuard, RolesGuard)
@ApiBearerAuth()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Organisers are appointed by organisers; the first one comes from `create-organiser.command.ts`. */
  @Post('organisers')
  @Roles('organiser')
  @ApiOperation({ summary: 'Create an organiser account (organisers only)' })
  @ApiCreatedResponse({ type: UserDto })
  async createOrganiser(@Body() dto: SignupDto): Promise<UserDto> {
    return UserDto.from(await this.users.create({ ...dto, role: 'organiser' }));
  }
}
