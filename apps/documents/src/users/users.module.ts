import { Module } from '@nestjs/common';
import { OrganisationUsersController } from './organisation-users.controller.js';
import { UsersService } from './users.service.js';

@Module({ controllers: [OrganisationUsersController], providers: [UsersService], exports: [UsersService] })
export class UsersModule {}
