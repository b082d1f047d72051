/** What the speech-to-text service answers for a chunk: a partial grows until the final replaces it. */
export interface RecognitionResult {
  transcript: string;
  isFinal: boolean;
  startMs: number;
  endMs: number;
}
