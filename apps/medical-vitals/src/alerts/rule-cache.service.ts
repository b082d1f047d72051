import { Inject, Injectable } from '@nestjs/common';
import { withPrimaryConnection } from '@remedy/pooling';
import { DataSource } from 'typeorm';
import { CacheInvalidationBus } from '../redis/cache-invalidation.bus.js';
import { AlertRule } from './alert-rule.entity.js';

/** A backstop for an invalidation lost while Redis was unreachable: the index is reloaded at least this often. */
const SAFETY_TTL_MS = 60_000;

interface RuleIndex {
  byPatient: Map<string, AlertRule[]>;
  byWard: Map<string, AlertRule[]>;
}

/**
 * Enabled alert rules, held in-process (V-06): the evaluator looks rules up for every reading, and they
 * change a few times a day. Any change anywhere publishes an invalidation; every instance then drops the
 * whole index and reloads it (one query) on the next lookup. A load that was under way when the
 * invalidation arrived is discarded, so a stale rule set is never installed. The reload reads the primary:
 * an invalidation follows a write, and a replica that has not replayed it yet would bring the old rule back.
 */
@Injectable()
export class RuleCache {
  private index: Promise<RuleIndex> | undefined;
  private loadedAt = 0;
  private generation = 0;

  constructor(
    @Inject(DataSource) protected readonly dataSource: DataSource,
    @Inject(CacheInvalidationBus) private readonly bus: CacheInvalidationBus,
  ) {
    this.bus.on('rules', () => this.drop());
  }

  async rulesFor(patientId: string, wardId: string | null): Promise<AlertRule[]> {
    const index = await this.load();
    return [
      ...(index.byPatient.get(patientId) ?? []),
      ...(wardId === null ? [] : (index.byWard.get(wardId) ?? [])),
    ];
  }

  async invalidate(ruleId: string): Promise<void> {
    await this.bus.publish('rules', ruleId);
  }

  /** The enabled rules, as of the latest write: on the primary, never the (possibly lagging) replica. */
  protected loadRules(): Promise<AlertRule[]> {
    return withPrimaryConnection(this.dataSource, (manager) =>
      manager.getRepository(AlertRule).findBy({ enabled: true }),
    );
  }

  protected drop(): void {
    this.generation += 1;
    this.index = undefined;
  }

  private load(): Promise<RuleIndex> {
    if (this.index && Date.now() - this.loadedAt < SAFETY_TTL_MS) return this.index;
    const generation = this.generation;
    this.loadedAt = Date.now();
    const loading = this.loadRules().then((rules) => buildIndex(rules));
    this.index = loading;
    loading.then(
      () => {
        if (generation !== this.generation && this.index === loading) this.index = undefined;
      },
      () => {
        if (this.index === loading) this.index = undefined;
      },
    );
    return loading;
  }
}

function buildIndex(rules: AlertRule[]): RuleIndex {
  const byPatient = new Map<string, AlertRule[]>();
  const byWard = new Map<string, AlertRule[]>();
  for (const rule of rules) {
    const [map, key] = rule.patientId !== null ? [byPatient, rule.patientId] : [byWard, rule.wardId];
    if (key === null) continue;
    map.set(key, [...(map.get(key) ?? []), rule]);
  }
  return { byPatient, byWard };
}
