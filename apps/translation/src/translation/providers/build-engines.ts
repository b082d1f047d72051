import type { ProvidersConfig } from '../../config.js';
import { DeeplV2Engine } from './deepl-v2-engine.js';
import { GoogleV3Engine } from './google-v3-engine.js';
import { ProviderCallError } from './provider-call-error.js';
import type { ProviderConnections } from './provider-connections.js';
import { ProviderHttpClient } from './provider-http-client.js';
import type { EngineRequest, TranslationEngine } from './translation-engine.js';

export interface Engines {
  primary: TranslationEngine;
  fallback: TranslationEngine;
}

/** Google v3 as the primary engine and DeepL v2 as the fallback, each over its connection pool. */
export function buildEngines(config: ProvidersConfig, connections: ProviderConnections): Engines {
  const client = (engine: string, url: string) =>
    new ProviderHttpClient(engine, url, connections.agentFor(url), config.timeoutMs);
  const { google, deepl } = config;
  return {
    primary:
      google.key === undefined
        ? unconfigured('google-v3')
        : new GoogleV3Engine(client('google-v3', google.url), {
            project: google.project,
            location: google.location,
            accessToken: google.key,
          }),
    fallback:
      deepl.key === undefined
        ? unconfigured('deepl-v2')
        : new DeeplV2Engine(client('deepl-v2', deepl.url), { authKey: deepl.key }),
  };
}

/** An engine without credentials: refuses like a provider refusing the key, without a call. */
function unconfigured(name: string): TranslationEngine {
  return {
    name,
    translate: (_request: EngineRequest) =>
      Promise.reject(new ProviderCallError(name, 'unauthorized', 'no key configured')),
  };
}
