import { CacheInvalidationBus } from '../../src/redis/cache-invalidation.bus.js';
import { RuleCache } from '../../src/alerts/rule-cache.service.js';
import type { AlertRule } from '../../src/alerts/alert-rule.entity.js';
import { DataSource } from 'typeorm';
import type { ProviderPlug } from '@remedy/testing';

/** A gate a test closes and opens: while closed, whoever passes through it waits (and is counted). */
export class Gate {
  waiting = 0;
  private opened: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;

  close(): void {
    this.opened = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
  }

  async pass(): Promise<void> {
    this.waiting += 1;
    try {
      await this.opened;
    } finally {
      this.waiting -= 1;
    }
  }
}

/**
 * The service's rule cache behind a gate: a rule lookup waits while the test holds the gate, which stands
 * for a rule engine that is slow, without racing a timer against the ack.
 */
export function heldRuleEngine(gate: Gate): ProviderPlug {
  return {
    provide: RuleCache,
    inject: [DataSource, CacheInvalidationBus],
    useFactory: (dataSource: DataSource, bus: CacheInvalidationBus) => {
      const cache = new RuleCache(dataSource, bus);
      const rulesFor = cache.rulesFor.bind(cache);
      cache.rulesFor = async (patientId: string, wardId: string | null): Promise<AlertRule[]> => {
        await gate.pass();
        return rulesFor(patientId, wardId);
      };
      return cache;
    },
  };
}
