/** Who sends a chat message: an authenticated user in the session its socket joined. */
export interface ChatAuthor {
  sessionId: string;
  userId: string;
}

export interface ChatMessageInput {
  text: string;
  /** The client's own id for the message: a resend with the same id is the same message. */
  clientMessageId: string;
}

/** What the socket answers at once: `{ type: 'pending', messageId, clientMessageId }`. */
export interface ChatMessageReceipt {
  messageId: string;
  clientMessageId: string;
}

/**
 * What the /chat handler does with a message before it answers `pending` (polyglot-a:S-5, polyglot-b:C-4):
 * the seam between accepting a message and translating it. Resolves with the receipt, or null when the author
 * is not a participant of the session.
 */
export abstract class ChatMessageDispatcher {
  abstract dispatch(author: ChatAuthor, message: ChatMessageInput): Promise<ChatMessageReceipt | null>;
}
