/** What a chat client may send after authenticating (see the README's WebSocket section). */
export type ChatCommand = { type: 'join'; sessionId: string } | { type: 'leave' };

export interface ChatCommandError {
  code: 'invalid-message';
  message: string;
  details: Array<{ field: string; problems: string[] }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FIELDS: Record<ChatCommand['type'], readonly string[]> = {
  join: ['type', 'sessionId'],
  leave: ['type'],
};

/** Validates a parsed message into a command, or field-level problems (sent back as an error frame). */
export function parseChatCommand(message: unknown): ChatCommand | ChatCommandError {
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return invalid([{ field: '(message)', problems: ['must be a JSON object'] }]);
  const fields = message as Record<string, unknown>;
  const type = fields['type'];
  if (type !== 'join' && type !== 'leave')
    return invalid([{ field: 'type', problems: ['must be "join" or "leave"'] }]);
  const problems: ChatCommandError['details'] = Object.keys(fields)
    .filter((field) => !FIELDS[type].includes(field))
    .map((field) => ({ field, problems: ['is not a field of this message'] }));
  if (type === 'join') {
    const sessionId = fields['sessionId'];
    if (typeof sessionId !== 'string' || !UUID.test(sessionId))
      problems.push({ field: 'sessionId', problems: ['must be a UUID'] });
    return problems.length > 0 ? invalid(problems) : { type, sessionId: (sessionId as string).toLowerCase() };
  }
  return problems.length > 0 ? invalid(problems) : { type };
}

export function isChatCommandError(command: ChatCommand | ChatCommandError): command is ChatCommandError {
  return 'code' in command;
}

function invalid(details: ChatCommandError['details']): ChatCommandError {
  return { code: 'invalid-message', message: 'the message is not valid', details };
}
