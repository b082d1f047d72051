export interface GlossaryTerm {
  source: string;
  target: string;
}

/** An organisation's glossary for one language pair; `version` goes up by one with every change of its terms. */
export interface GlossarySummary {
  id: string;
  organisationId: string;
  sourceLanguage: string;
  targetLanguage: string;
  version: number;
  termCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Glossary extends Omit<GlossarySummary, 'termCount'> {
  terms: GlossaryTerm[];
}
