import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { InvalidAccessTokenError } from '@remedy/auth';
import type { Member } from './member.js';

/** A request the member guard let through carries its member here. */
export interface MemberRequest {
  member?: Member;
}

/** The member the guard resolved; a route without the guard gets a 401 rather than undefined. */
export const CurrentMember = createParamDecorator((_data: unknown, context: ExecutionContext): Member => {
  const member = context.switchToHttp().getRequest<MemberRequest>().member;
  if (!member) throw new InvalidAccessTokenError('missing bearer access token');
  return member;
});
