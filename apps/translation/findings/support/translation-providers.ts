import { TranslationProviderEmulator, type TranslationProviderEmulatorOptions } from '@remedy/testing';

type EmulatorOptions = Omit<TranslationProviderEmulatorOptions, 'api' | 'apiKey'>;

export interface TranslationProviders {
  google: TranslationProviderEmulator;
  deepl: TranslationProviderEmulator;
  /** The app's environment pointing both engines at the emulators. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const GOOGLE_KEY = 'google-emulator-token';
const DEEPL_KEY = 'deepl-emulator-key';

/** Starts a Google v3 and a DeepL v2 emulator (ours, over HTTP) for one app: primary and fallback engine. */
export async function startTranslationProviders(
  options: { google?: EmulatorOptions; deepl?: EmulatorOptions } = {},
): Promise<TranslationProviders> {
  const google = await TranslationProviderEmulator.start({
    ...options.google,
    api: 'google-v3',
    apiKey: GOOGLE_KEY,
  });
  const deepl = await TranslationProviderEmulator.start({
    ...options.deepl,
    api: 'deepl-v2',
    apiKey: DEEPL_KEY,
  });
  return {
    google,
    deepl,
    env: {
      GOOGLE_TRANSLATE_URL: google.url,
      GOOGLE_TRANSLATE_KEY: GOOGLE_KEY,
      DEEPL_TRANSLATE_URL: deepl.url,
      DEEPL_TRANSLATE_KEY: DEEPL_KEY,
    },
    stop: async () => {
      await Promise.all([google.stop(), deepl.stop()]);
    },
  };
}

/** The name a glossary version has at Google (resource name) when the app runs in the default location. */
export function googleGlossaryName(providerName: string): string {
  return `projects/polyglot-connect/locations/us-central1/glossaries/${providerName}`;
}
