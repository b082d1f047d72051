import { createPageQueryDto } from '@remedy/pagination';
import { MY_REGISTRATIONS_SORT } from './my-registrations.service.js';

export class MyRegistrationsQueryDto extends createPageQueryDto({
  sort: MY_REGISTRATIONS_SORT,
  maxLimit: 50,
}) {}
