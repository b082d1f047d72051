import { createServer, connect, type Server, type Socket } from 'node:net';
import { SpeechToTextEmulator, TranslationProviderEmulator, type SpokenSentence } from '@remedy/testing';

/**
 * The translation engines and the speech-to-text service for a local stack (docker compose's `translation`
 * profile, or next to `npm run serve`): the same emulators the tests start in-process, here as one long-running
 * process. Google v3 (primary), DeepL v2 (fallback) and speech-to-text each listen on a port of their own, with the
 * keys the app is given (the variable names are the app's: GOOGLE_TRANSLATE_KEY, DEEPL_TRANSLATE_KEY, STT_KEY).
 */
const HOST = process.env['EMULATOR_HOST'] ?? '0.0.0.0';
const PORTS = {
  google: portOf('GOOGLE_EMULATOR_PORT', 8091),
  deepl: portOf('DEEPL_EMULATOR_PORT', 8092),
  speechToText: portOf('STT_EMULATOR_PORT', 8093),
};

/**
 * The emulator cannot understand speech (tests tell it what is said): here it hears one numbered line every 3 s
 * of any stream's audio for an hour, so a speaker streaming anything on /speech gets captions.
 */
const DEMO_SPEECH: SpokenSentence[] = Array.from({ length: 1_200 }, (_, index) => ({
  text: `Caption ${index + 1}: the emulator hears this line in place of your speech.`,
  endMs: (index + 1) * 3_000,
}));

function portOf(name: string, fallback: number): number {
  const raw = process.env[name];
  const port = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${name} must be a port number`);
  return port;
}

/**
 * The emulators listen on 127.0.0.1 only (they are test servers); another container reaches each through a TCP
 * relay on HOST, byte for byte, so keep-alive connections stay connections.
 */
async function relay(port: number, target: string): Promise<Server> {
  const { port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(targetPort), '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  return server;
}

async function main(): Promise<void> {
  const google = await TranslationProviderEmulator.start({
    api: 'google-v3',
    apiKey: process.env['GOOGLE_TRANSLATE_KEY'] ?? 'google-emulator-token',
  });
  const deepl = await TranslationProviderEmulator.start({
    api: 'deepl-v2',
    apiKey: process.env['DEEPL_TRANSLATE_KEY'] ?? 'deepl-emulator-key',
  });
  const speechToText = await SpeechToTextEmulator.start({ apiKey: process.env['STT_KEY'] ?? 'stt-test-key' });
  speechToText.speak(DEMO_SPEECH);
  const relays = [
    await relay(PORTS.google, google.url),
    await relay(PORTS.deepl, deepl.url),
    await relay(PORTS.speechToText, speechToText.url),
  ];
  process.stdout.write(
    `${JSON.stringify({
      msg: 'translation emulators listening',
      host: HOST,
      google: PORTS.google,
      deepl: PORTS.deepl,
      speechToText: PORTS.speechToText,
    })}\n`,
  );
  const stop = async () => {
    relays.forEach((server) => server.close());
    await Promise.all([google.stop(), deepl.stop(), speechToText.stop()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
