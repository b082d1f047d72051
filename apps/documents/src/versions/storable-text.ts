/** NUL, and a UTF-16 surrogate without its partner. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A co-edited text as a PostgreSQL text value can hold it: a Yjs text may carry NUL (PostgreSQL refuses it: the
 * INSERT would fail) or a lone surrogate (not UTF-8), both typed by no keyboard; each becomes U+FFFD. The
 * version's Yjs state keeps the exact text, and a restore brings that back, not this.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}
