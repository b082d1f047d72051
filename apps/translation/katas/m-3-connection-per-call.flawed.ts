import { Agent } from 'node:http';
import { ProviderConnections } from '../src/translation/providers/provider-connections.js';

/*
 * polyglot-a:M-3, polyglot-b:S-1 — the design names an HTTP client for the translation API but no pool: no
 * keep-alive, no size. Every call opens a TCP (in production TLS) connection, pays the handshake, and closes it;
 * at peak that is thousands of handshakes a second and sockets in TIME_WAIT. ConnectionPerCallProviderConnections
 * takes ProviderConnections' place under the real engines: an agent that never keeps a connection.
 */
export class ConnectionPerCallProviderConnections extends ProviderConnections {
  private readonly agents: Agent[] = [];

  agentFor(_baseUrl: string): Agent {
    return this.remember(new Agent({ keepAlive: false }));
  }

  close(): void {
    for (const agent of this.agents) agent.destroy();
  }

  protected remember(agent: Agent): Agent {
    this.agents.push(agent);
    return agent;
  }
}

/* Close cousins, put back into the remediated service. */

/** Keep-alive, but no bound: a burst opens as many connections as calls in flight, and keeps them all. */
export class UnboundedKeepAliveConnections extends ConnectionPerCallProviderConnections {
  override agentFor(_baseUrl: string): Agent {
    return this.remember(new Agent({ keepAlive: true }));
  }
}

/** A bounded pool without keep-alive: at most `size` at once, but a connection no queued call is waiting for is closed. */
export class BoundedWithoutKeepAliveConnections extends ConnectionPerCallProviderConnections {
  constructor(private readonly size: number) {
    super();
  }

  override agentFor(_baseUrl: string): Agent {
    return this.remember(new Agent({ keepAlive: false, maxSockets: this.size }));
  }
}
