/** A glossary as the emulator applies it: source term → the term the translation must use. */
export type EmulatedGlossary = Readonly<Record<string, string>>;

/**
 * The emulator's deterministic "translation": the target language in brackets before the text, with every
 * glossary term replaced, e.g. `[de] Hello Remedy` → `[de] Hello Remedy-DE` under { Remedy: 'Remedy-DE' }. Tests
 * can compute the expected text, and a glossary change shows in the next translation.
 */
export function fakeTranslation(text: string, targetLanguage: string, glossary?: EmulatedGlossary): string {
  let translated = text;
  for (const [term, replacement] of Object.entries(glossary ?? {})) {
    translated = translated.split(term).join(replacement);
  }
  return `[${targetLanguage.toLowerCase()}] ${translated}`;
}

/** Characters as the providers bill them: Unicode code points, not UTF-16 units. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
