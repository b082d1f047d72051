import type { KeysetSort } from '@remedy/pagination';

/** Glossaries in language-pair order: glossaries_pair_key's order after the organisation. */
export const GLOSSARIES_SORT: KeysetSort = [
  { column: 'g.source_language', type: 'text', direction: 'ASC' },
  { column: 'g.target_language', type: 'text', direction: 'ASC' },
];

export const GLOSSARY_PAGES = { defaultLimit: 50, maxLimit: 100 } as const;

/** A full glossary (250 terms of 100 characters each way, about 57 KB of JSON) fits in the 64 KiB body limit. */
export const MAX_GLOSSARY_TERMS = 250;
export const MAX_TERM_LENGTH = 100;
