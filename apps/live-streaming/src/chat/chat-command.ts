/** What a chat client may send after authenticating (see the README's WebSocket section). */
export type ChatCommand =
  | { type: 'join'; streamId: string }
  | { type: 'leave' }
  | { type: 'send'; text: string }
  | { type: 'heartbeat' };

export interface ChatCommandError {
  code: 'invalid-message';
  message: string;
  details: Array<{ field: string; problems: string[] }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Control characters other than tab and newline, and lone surrogates, have no place in a chat line. */
function isPrintable(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || code === 0x7f) return false;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      index += 1;
    } else if (code >= 0xdc00 && code <= 0xdfff) return false;
  }
  return true;
}

const FIELDS: Record<ChatCommand['type'], readonly string[]> = {
  join: ['type', 'streamId'],
  leave: ['type'],
  send: ['type', 'text'],
  heartbeat: ['type'],
};

/** Validates a parsed message into a command, or field-level problems (sent back as an error frame). */
export function parseChatCommand(message: unknown, maxTextLength: number): ChatCommand | ChatCommandError {
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return invalid([{ field: '(message)', problems: ['must be a JSON object'] }]);
  const fields = message as Record<string, unknown>;
  const type = fields['type'];
  if (type !== 'join' && type !== 'leave' && type !== 'send' && type !== 'heartbeat')
    return invalid([{ field: 'type', problems: ['must be "join", "leave", "send" or "heartbeat"'] }]);
  const problems: ChatCommandError['details'] = Object.keys(fields)
    .filter((field) => !FIELDS[type].includes(field))
    .map((field) => ({ field, problems: ['is not a field of this message'] }));
  if (type === 'join') {
    const streamId = fields['streamId'];
    if (typeof streamId !== 'string' || !UUID.test(streamId))
      problems.push({ field: 'streamId', problems: ['must be a UUID'] });
    return problems.length > 0 ? invalid(problems) : { type, streamId: (streamId as string).toLowerCase() };
  }
  if (type === 'send') {
    const text = fields['text'];
    if (typeof text !== 'string' || text.trim().length === 0)
      problems.push({ field: 'text', problems: ['must be a non-empty string'] });
    else if (text.length > maxTextLength)
      problems.push({ field: 'text', problems: [`must be at most ${maxTextLength} characters`] });
    else if (!isPrintable(text))
      problems.push({ field: 'text', problems: ['must not contain control characters or lone surrogates'] });
    return problems.length > 0 ? invalid(problems) : { type, text: text as string };
  }
  return problems.length > 0 ? invalid(problems) : { type };
}

export function isChatCommandError(value: ChatCommand | ChatCommandError): value is ChatCommandError {
  return 'code' in value;
}

function invalid(details: ChatCommandError['details']): ChatCommandError {
  return {
    code: 'invalid-message',
    message: `invalid message: ${details.map((detail) => detail.field).join(', ')}`,
    details,
  };
}
