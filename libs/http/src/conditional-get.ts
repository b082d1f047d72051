/**
 * Whether a conditional GET's `If-None-Match` names `etag`, so the answer is 304 with no body (RFC 9110
 * §13.1.2: weak comparison, a list of tags, or `*`).
 */
export function ifNoneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}
