import { Injectable } from '@nestjs/common';
import type { Session } from '../src/sessions/session.js';
import type { SessionCache } from '../src/sessions/session-cache.js';

/*
 * polyglot-b:M-1 — the design names Redis a "Session Cache" but says neither what is cached nor when it is
 * invalidated, so every look-up of a session (each chat message, caption and join makes one) reads Postgres.
 * Plugged in as SessionCache: reads go to Postgres every time, a start or end has nothing to replace.
 */
@Injectable()
export class NoSessionCache implements Pick<SessionCache, 'read' | 'replace'> {
  read(_sessionId: string, load: () => Promise<Session | null>): Promise<Session | null> {
    return load();
  }

  async replace(_session: Session): Promise<void> {
    // nothing is cached, so nothing goes stale
  }
}

/* Close cousin: cached, but a start or an end never replaces the entry, so an ended session reads as live. */
@Injectable()
export class NeverReplacedSessionCache implements Pick<SessionCache, 'read' | 'replace'> {
  private readonly entries = new Map<string, string>();

  async read(sessionId: string, load: () => Promise<Session | null>): Promise<Session | null> {
    const cached = this.entries.get(sessionId);
    if (cached !== undefined) return JSON.parse(cached) as Session;
    const session = await load();
    if (session !== null) this.entries.set(sessionId, JSON.stringify(session));
    return session;
  }

  async replace(_session: Session): Promise<void> {
    // the review's missing invalidation: the old entry stays until the process restarts
  }
}

/* Close cousin: each instance caches in its own memory; an end replaces the entry only where it was handled. */
@Injectable()
export class PerInstanceSessionCache implements Pick<SessionCache, 'read' | 'replace'> {
  private readonly local = new Map<string, Session>();

  async read(sessionId: string, load: () => Promise<Session | null>): Promise<Session | null> {
    const cached = this.local.get(sessionId);
    if (cached !== undefined) return cached;
    const session = await load();
    if (session !== null) this.local.set(sessionId, session);
    return session;
  }

  replace(session: Session): Promise<void> {
    this.local.set(session.id, session);
    return Promise.resolve();
  }
}
