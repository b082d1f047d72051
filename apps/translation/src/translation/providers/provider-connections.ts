import type { Agent } from 'node:http';
import { keepAliveAgent } from './provider-connection-pool.js';

/**
 * Where provider calls get their connections (polyglot-a:M-3, polyglot-b:S-1): the seam a proof plugs a
 * connection-per-call client into. Every agent it hands out is closed with the application.
 */
export abstract class ProviderConnections {
  abstract agentFor(baseUrl: string): Agent;

  abstract close(): void;
}

/** One keep-alive pool of `size` connections per provider. */
export class KeepAliveProviderConnections extends ProviderConnections {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly size: number) {
    super();
  }

  agentFor(baseUrl: string): Agent {
    const origin = new URL(baseUrl).origin;
    let agent = this.agents.get(origin);
    if (agent === undefined) {
      agent = keepAliveAgent(baseUrl, this.size);
      this.agents.set(origin, agent);
    }
    return agent;
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
