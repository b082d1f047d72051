import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { InvalidAccessTokenError } from '@remedy/auth';
import type { StaffMember } from '../staff/staff-member.js';
import type { StaffRequest } from './staff-request.js';

/** The signed-in staff member; a route the guard did not authenticate gets a 401 rather than undefined. */
export const CurrentStaff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffMember => {
  const staff = context.switchToHttp().getRequest<StaffRequest>().staff;
  if (!staff) throw new InvalidAccessTokenError('missing bearer access token');
  return staff;
});
