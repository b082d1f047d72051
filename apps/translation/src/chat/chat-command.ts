/** What a chat client may send after authenticating (see the README's WebSocket section). */
export type ChatCommand =
  | { type: 'join'; sessionId: string }
  | { type: 'leave' }
  | { type: 'message'; text: string; clientMessageId: string };

export interface ChatCommandError {
  code: 'invalid-message';
  message: string;
  details: Array<{ field: string; problems: string[] }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FIELDS: Record<ChatCommand['type'], readonly string[]> = {
  join: ['type', 'sessionId'],
  leave: ['type'],
  message: ['type', 'text', 'clientMessageId'],
};

/** A client's own id for a message (its resend key): short, printable ASCII. */
const CLIENT_MESSAGE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** A UTF-16 surrogate without its partner: not text, and providers and PostgreSQL refuse it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface ChatCommandLimits {
  /** The longest message text, in UTF-16 code units. */
  maxMessageLength: number;
}

/** Validates a parsed message into a command, or field-level problems (sent back as an error frame). */
export function parseChatCommand(
  message: unknown,
  limits: ChatCommandLimits,
): ChatCommand | ChatCommandError {
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return invalid([{ field: '(message)', problems: ['must be a JSON object'] }]);
  const fields = message as Record<string, unknown>;
  const type = fields['type'];
  if (type !== 'join' && type !== 'leave' && type !== 'message')
    return invalid([{ field: 'type', problems: ['must be "join", "leave" or "message"'] }]);
  const problems: ChatCommandError['details'] = Object.keys(fields)
    .filter((field) => !FIELDS[type].includes(field))
    .map((field) => ({ field, problems: ['is not a field of this message'] }));
  if (type === 'join') {
    const sessionId = fields['sessionId'];
    if (typeof sessionId !== 'string' || !UUID.test(sessionId))
      problems.push({ field: 'sessionId', problems: ['must be a UUID'] });
    return problems.length > 0 ? invalid(problems) : { type, sessionId: (sessionId as string).toLowerCase() };
  }
  if (type === 'message') {
    const text = fields['text'];
    const textProblems = messageTextProblems(text, limits);
    if (textProblems.length > 0) problems.push({ field: 'text', problems: textProblems });
    const clientMessageId = fields['clientMessageId'];
    if (typeof clientMessageId !== 'string' || !CLIENT_MESSAGE_ID.test(clientMessageId))
      problems.push({
        field: 'clientMessageId',
        problems: ['must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-"'],
      });
    return problems.length > 0
      ? invalid(problems)
      : { type, text: text as string, clientMessageId: clientMessageId as string };
  }
  return problems.length > 0 ? invalid(problems) : { type };
}

function messageTextProblems(text: unknown, limits: ChatCommandLimits): string[] {
  if (typeof text !== 'string') return ['must be a string'];
  const problems: string[] = [];
  if (text.trim().length === 0) problems.push('must not be empty');
  if (text.length > limits.maxMessageLength)
    problems.push(`must be at most ${limits.maxMessageLength} characters`);
  if (text.includes('\u0000')) problems.push('must not contain NUL characters');
  if (LONE_SURROGATE.test(text)) problems.push('must be valid Unicode (no lone surrogates)');
  return problems;
}

export function isChatCommandError(command: ChatCommand | ChatCommandError): command is ChatCommandError {
  return 'code' in command;
}

function invalid(details: ChatCommandError['details']): ChatCommandError {
  return { code: 'invalid-message', message: 'the message is not valid', details };
}
