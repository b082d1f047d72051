import type { DataSource } from 'typeorm';
import type { GlossaryRef } from './cache/translation-cache.js';

/** The organisation's glossary for a language pair (glossaries_pair_key), or undefined when it has none. */
export async function glossaryOfPair(
  dataSource: DataSource,
  organisationId: string,
  sourceLanguage: string,
  targetLanguage: string,
): Promise<GlossaryRef | undefined> {
  const rows: Array<{ id: string; version: number }> = await dataSource.query(
    `SELECT id, version FROM glossaries
      WHERE organisation_id = $1 AND source_language = $2 AND target_language = $3`,
    [organisationId, sourceLanguage, targetLanguage],
  );
  return rows[0];
}

/**
 * The name a glossary version has at both providers: each version is registered as a glossary of its own
 * (providers' glossaries are immutable), so a translation names exactly the wording it applied.
 */
export function providerGlossaryName(glossary: GlossaryRef): string {
  return `${glossary.id}-v${glossary.version}`;
}
