/** A chat line as every viewer of the stream receives it (`{ type: 'message', ...ChatMessage }`). */
export interface ChatMessage {
  id: string;
  streamId: string;
  userId: string;
  /** The sender's username at the time of sending (profiles are cached: livestream:M4). */
  username: string | null;
  text: string;
  sentAt: string;
}
