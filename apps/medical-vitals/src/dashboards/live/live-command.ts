/** A message a dashboard may send after authenticating. */
export interface LiveCommand {
  type: 'subscribe' | 'unsubscribe';
  wardId?: string;
  patientId?: string;
}

export interface CommandError {
  code: 'invalid-message';
  message: string;
  details: Array<{ field: string; problems: string[] }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a parsed /live message into a command, or field-level problems (the socket gets them as an error). */
export function parseLiveCommand(message: unknown): LiveCommand | CommandError {
  const problems: CommandError['details'] = [];
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return invalid([{ field: '(message)', problems: ['must be a JSON object'] }]);
  const { type, wardId, patientId } = message as Record<string, unknown>;
  if (type !== 'subscribe' && type !== 'unsubscribe')
    problems.push({ field: 'type', problems: ['must be "subscribe" or "unsubscribe"'] });
  if (wardId !== undefined && (typeof wardId !== 'string' || !UUID.test(wardId)))
    problems.push({ field: 'wardId', problems: ['must be a UUID'] });
  if (patientId !== undefined && (typeof patientId !== 'string' || !UUID.test(patientId)))
    problems.push({ field: 'patientId', problems: ['must be a UUID'] });
  if ((wardId === undefined) === (patientId === undefined))
    problems.push({ field: 'wardId', problems: ['give exactly one of wardId or patientId'] });
  if (problems.length > 0) return invalid(problems);
  return {
    type: type as LiveCommand['type'],
    ...(typeof wardId === 'string' ? { wardId: wardId.toLowerCase() } : {}),
    ...(typeof patientId === 'string' ? { patientId: patientId.toLowerCase() } : {}),
  };
}

export function isCommandError(value: LiveCommand | CommandError): value is CommandError {
  return 'code' in value;
}

function invalid(details: CommandError['details']): CommandError {
  return {
    code: 'invalid-message',
    message: `invalid message: ${details.map((d) => d.field).join(', ')}`,
    details,
  };
}
