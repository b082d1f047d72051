/** A named version of a document as listed: who took it when, and the start of its text. */
export interface DocumentVersionSummary {
  id: string;
  documentId: string;
  name: string;
  /** The first characters of the text (VERSION_PREVIEW_LENGTH). */
  preview: string;
  /** The text's length in characters. */
  characters: number;
  /** The member who took it; null once that user is deleted. */
  createdBy: string | null;
  createdAt: string;
}

/** One version with its whole text. */
export interface DocumentVersion extends DocumentVersionSummary {
  text: string;
}

/** What a restore did: the version restored and the version saved of the text it replaced. */
export interface DocumentRestore {
  documentId: string;
  /** Whether an update was stored and sent to the editors (false: the text already was the version's). */
  changed: boolean;
  /** The version whose text the document has now (its characters and preview are the document's). */
  restored: DocumentVersionSummary;
  /** The version taken of the text just before the restore; null when nothing changed. */
  beforeRestore: DocumentVersionSummary | null;
}
