import { readFile } from 'node:fs/promises';

const DOC = new URL('../../../../docs/capacity-medical-vitals.md', import.meta.url);

/** The JSON block fenced as ```json <tag> in docs/capacity-medical-vitals.md. */
export async function capacityDocBlock<T>(tag: string): Promise<T> {
  const text = await readFile(DOC, 'utf8');
  const match = new RegExp('```json ' + tag + '\\n([\\s\\S]*?)\\n```').exec(text);
  if (!match?.[1]) throw new Error(`docs/capacity-medical-vitals.md has no \`\`\`json ${tag} block`);
  return JSON.parse(match[1]) as T;
}
