import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import { TokenService, type AuthenticatedUser } from '@remedy/auth';
import { CLOSE_CODES, CLOSE_REASONS, hasQueryString } from '@remedy/realtime';
import WebSocket from 'ws';
import { APP_CONFIG } from '../app-config.module.js';
import type { AppConfig } from '../config.js';
import {
  isFrameProblem,
  opusHeadProblem,
  parseOggPage,
  SPEECH_SAMPLE_RATE,
  type OggPage,
} from './ogg-opus-page.js';
import { SpeechPipeline, type SpeechStream } from './speech-pipeline.js';
import { SpeechSessions } from './speech-sessions.js';
import { SpeechToTextClient } from './speech-to-text-client.js';

/** Messages a socket may have waiting to be handled; past it the socket is told to slow down. */
const MAX_PENDING = 256;

interface Streaming {
  sessionId: string;
  streamId: string;
  organisationId: string;
  sourceLanguage: string;
  /** The sequence number the next page must carry. */
  nextSequence: number;
  headers: OggPage[];
  stream: SpeechStream | undefined;
}

/**
 * WebSocket /speech (polyglot-b:M-2, ADR 0059): a speaker authenticates with the access token in the first
 * message (as on /chat; a query string is refused with 1008), starts a stream into a live session it organises
 * or takes part in, then sends its audio as Ogg Opus 16 kHz mono, one Ogg page per binary frame, and `end`.
 * Every frame is checked (size, Ogg page, OpusHead format, page sequence number); a bad one is answered with an
 * error naming the field and dropped, and the socket stays open. Captions go to listeners over /chat.
 */
// maxPayload: a hard ceiling for ws; frames above SPEECH_MAX_FRAME_BYTES are answered with an error below it.
@WebSocketGateway({ path: '/speech', maxPayload: 1024 * 1024 })
export class SpeechGateway implements OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger(SpeechGateway.name);
  private readonly sockets = new Set<WebSocket>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(SpeechSessions) private readonly sessions: SpeechSessions,
    @Inject(SpeechPipeline) private readonly pipeline: SpeechPipeline,
    @Inject(SpeechToTextClient) private readonly speechToText: SpeechToTextClient,
  ) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const send = (message: Record<string, unknown>) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    };
    const fail = (code: string, message: string, details: unknown[] = []) =>
      send({ type: 'error', code, message, details });
    if (hasQueryString(request)) {
      fail('query-string', CLOSE_REASONS.queryString);
      socket.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.queryString);
      return;
    }
    this.sockets.add(socket);
    let user: AuthenticatedUser | undefined;
    let streaming: Streaming | undefined;
    const deadline = setTimeout(() => {
      fail('auth-timeout', CLOSE_REASONS.authTimeout);
      socket.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.authTimeout);
    }, this.config.chat.authTimeoutMs);

    const onText = async (raw: string): Promise<void> => {
      let message: { type?: unknown; token?: unknown; sessionId?: unknown };
      try {
        message = JSON.parse(raw) as typeof message;
      } catch {
        return fail('bad-json', 'message is not valid JSON');
      }
      if (user === undefined) {
        const token = message.type === 'auth' && typeof message.token === 'string' ? message.token : '';
        user =
          token.length > 0 && token.length <= 4_096
            ? await this.tokens.verifyAccessToken(token).catch(() => undefined)
            : undefined;
        if (user === undefined) {
          fail('auth-failed', CLOSE_REASONS.authFailed);
          socket.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.authFailed);
          return;
        }
        clearTimeout(deadline);
        return send({ type: 'authenticated' });
      }
      if (message.type === 'start') return start(user, message.sessionId);
      if (message.type === 'end') return end();
      fail('bad-message', 'expected start or end', [
        { field: 'type', problems: ['must be "start" or "end"'] },
      ]);
    };

    const start = async (speaker: AuthenticatedUser, sessionId: unknown): Promise<void> => {
      if (streaming !== undefined) return fail('already-started', 'end the current stream first');
      if (typeof sessionId !== 'string' || !/^[0-9a-f-]{36}$/i.test(sessionId))
        return fail('bad-message', 'sessionId must be a UUID', [
          { field: 'sessionId', problems: ['must be a UUID'] },
        ]);
      if (speaker.role === 'viewer')
        return fail('forbidden', 'only speakers and organisers speak into a session', [
          { field: 'role', problems: ['viewers listen on /chat'] },
        ]);
      if (!this.speechToText.configured)
        return fail('speech-unavailable', 'speech-to-text is not configured');
      const session = await this.sessions.ofSpeaker(sessionId, speaker.id);
      if (session === null)
        return fail('not-a-participant', 'speak only into a session you organise or take part in', [
          { field: 'sessionId', problems: ['not a session you organise or take part in'] },
        ]);
      if (session.status !== 'live')
        return fail('session-not-live', `the session is ${session.status}`, [
          { field: 'sessionId', problems: ['the session must be live'] },
        ]);
      const streamId = randomUUID();
      // The pipeline opens once the header pages are in (see onAudio).
      streaming = { sessionId, streamId, ...session, nextSequence: 0, headers: [], stream: undefined };
      send({
        type: 'started',
        streamId,
        format: { container: 'ogg', codec: 'opus', sampleRate: SPEECH_SAMPLE_RATE, channels: 1 },
        frame: 'one Ogg page per binary frame, page sequence numbers from 0',
        maxFrameBytes: this.config.speech.maxFrameBytes,
      });
    };

    const onAudio = (frame: Buffer): Promise<void> | void => {
      if (streaming === undefined)
        return fail('not-started', 'send {"type":"start","sessionId":…} before audio');
      if (frame.length > this.config.speech.maxFrameBytes)
        return fail(
          'frame-too-large',
          `a frame is one Ogg page of at most ${this.config.speech.maxFrameBytes} bytes`,
          [{ field: 'frame', problems: [`${frame.length} bytes`] }],
        );
      const page = parseOggPage(frame);
      if (isFrameProblem(page))
        return fail('bad-frame', page.problem, [{ field: page.field, problems: [page.problem] }]);
      if (page.sequence !== streaming.nextSequence)
        return fail('out-of-sequence', `expected page ${streaming.nextSequence}, got ${page.sequence}`, [
          { field: 'sequence', problems: [`expected ${streaming.nextSequence}`] },
        ]);
      if (page.sequence === 0) {
        const problem = opusHeadProblem(page);
        if (problem !== null)
          return fail('bad-format', problem.problem, [{ field: problem.field, problems: [problem.problem] }]);
      }
      streaming.nextSequence += 1;
      if (streaming.stream === undefined && page.endMs === 0) {
        streaming.headers.push(page);
        return;
      }
      if (streaming.stream === undefined) {
        const { sessionId, streamId, organisationId, sourceLanguage } = streaming;
        streaming.stream = this.pipeline.open(
          { sessionId, streamId, organisationId, sourceLanguage, notify: send },
          streaming.headers,
        );
      }
      streaming.stream.page(page);
      if (page.last) return end();
    };

    const end = async (): Promise<void> => {
      const ending = streaming;
      if (ending === undefined) return fail('not-started', 'no stream to end');
      streaming = undefined;
      const { segments } = (await ending.stream?.finish()) ?? { segments: 0 };
      send({ type: 'ended', streamId: ending.streamId, segments });
    };

    // Messages are handled one after another, in order (a start completes before the audio behind it).
    let pending = 0;
    let chain: Promise<void> = Promise.resolve();
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (pending >= MAX_PENDING)
        return fail('too-many-messages', `more than ${MAX_PENDING} messages waiting; slow down`);
      if (isBinary && user === undefined) {
        fail('auth-failed', CLOSE_REASONS.authFailed);
        socket.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.authFailed);
        return;
      }
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      pending += 1;
      chain = chain
        .then(() => (isBinary ? onAudio(bytes) : onText(bytes.toString('utf8'))))
        .catch((error: unknown) => {
          this.logger.error(error instanceof Error ? error : String(error));
          fail('internal', 'the message could not be handled');
        })
        .finally(() => {
          pending -= 1;
        });
    });
    socket.once('close', () => {
      clearTimeout(deadline);
      this.sockets.delete(socket);
      // A speaker gone mid-stream: what was heard is still finalised and captioned.
      const left = streaming;
      streaming = undefined;
      void left?.stream?.finish().catch(() => undefined);
    });
  }

  /** On shutdown every speaker is told to reconnect (to another instance). */
  onModuleDestroy(): void {
    for (const socket of this.sockets) socket.close(CLOSE_CODES.serviceRestart, CLOSE_REASONS.draining);
  }
}
