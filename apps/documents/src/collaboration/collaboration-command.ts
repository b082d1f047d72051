/**
 * What a /collab client may send after authenticating. Sync and awareness payloads are y-protocols messages,
 * base64 in a JSON frame (the realtime hub's frames are JSON text; ADR 0047).
 */
export type CollaborationCommand =
  | { type: 'open'; documentId: string }
  | { type: 'leave'; documentId: string }
  | { type: 'sync'; documentId: string; data: Uint8Array }
  | { type: 'awareness'; documentId: string; data: Uint8Array };

export interface CollaborationCommandError {
  code: 'invalid-message';
  message: string;
  details: Array<{ field: string; problems: string[] }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TYPES = ['open', 'leave', 'sync', 'awareness'] as const;
const WITH_DATA: ReadonlySet<string> = new Set(['sync', 'awareness']);

/** Validates a parsed frame into a command, or field-level problems; `maxBytes` bounds the decoded payload. */
export function parseCollaborationCommand(
  message: unknown,
  maxBytes: number,
): CollaborationCommand | CollaborationCommandError {
  if (typeof message !== 'object' || message === null || Array.isArray(message))
    return invalid([{ field: '(message)', problems: ['must be a JSON object'] }]);
  const fields = message as Record<string, unknown>;
  const type = fields['type'];
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type))
    return invalid([{ field: 'type', problems: [`must be one of ${TYPES.join(', ')}`] }]);
  const allowed = WITH_DATA.has(type) ? ['type', 'documentId', 'data'] : ['type', 'documentId'];
  const problems: CollaborationCommandError['details'] = Object.keys(fields)
    .filter((field) => !allowed.includes(field))
    .map((field) => ({ field, problems: ['is not a field of this message'] }));
  const documentId = fields['documentId'];
  if (typeof documentId !== 'string' || !UUID.test(documentId))
    problems.push({ field: 'documentId', problems: ['must be a UUID'] });
  let data: Uint8Array | undefined;
  if (WITH_DATA.has(type)) {
    const encoded = fields['data'];
    if (typeof encoded !== 'string' || encoded.length === 0 || !BASE64.test(encoded))
      problems.push({ field: 'data', problems: ['must be a y-protocols message in base64'] });
    else if ((encoded.length / 4) * 3 > maxBytes + 2)
      problems.push({ field: 'data', problems: [`must decode to at most ${maxBytes} bytes`] });
    else data = new Uint8Array(Buffer.from(encoded, 'base64'));
  }
  if (problems.length > 0) return invalid(problems);
  const id = (documentId as string).toLowerCase();
  if (type === 'sync' || type === 'awareness') return { type, documentId: id, data: data! };
  return { type: type as 'open' | 'leave', documentId: id };
}

export function isCollaborationCommandError(
  command: CollaborationCommand | CollaborationCommandError,
): command is CollaborationCommandError {
  return 'code' in command;
}

function invalid(details: CollaborationCommandError['details']): CollaborationCommandError {
  return { code: 'invalid-message', message: 'the message is not valid', details };
}
