import type { EventStatus } from './event-status.js';

/** One GET /events request, normalised: also the list cache's key material, so field order is fixed. */
export interface EventListFilter {
  status: EventStatus;
  /** Drafts are listed to their organiser only. */
  organiserId: string | null;
  category: string | null;
  from: string | null;
  to: string | null;
  cursor: string | null;
  /** Null: the list's default page size. */
  limit: number | null;
}
