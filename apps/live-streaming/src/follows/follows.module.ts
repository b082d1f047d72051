import { Module } from '@nestjs/common';
import { FOLLOW_LIST_PAGE_SIZES, FOLLOW_LIST_PAGES } from './follow-list.policy.js';
import { FollowListRouting } from './follow-list-routing.js';
import { FollowListQueries } from './follow-list.queries.js';
import { FollowsController } from './follows.controller.js';
import { FollowsService } from './follows.service.js';

@Module({
  controllers: [FollowsController],
  providers: [
    FollowsService,
    FollowListQueries,
    FollowListRouting,
    { provide: FOLLOW_LIST_PAGE_SIZES, useValue: { ...FOLLOW_LIST_PAGES } },
  ],
})
export class FollowsModule {}
