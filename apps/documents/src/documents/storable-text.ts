/** A UTF-16 surrogate without its partner. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A co-edited text as a PostgreSQL text value can hold it: a Yjs text may carry NUL (PostgreSQL refuses it: the
 * statement fails) or a lone surrogate (not UTF-8), both typed by no keyboard; each becomes U+FFFD. Used for the
 * search body and a version's text; the Yjs state keeps the exact text, and a restore brings that back.
 */
export function storableText(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}
