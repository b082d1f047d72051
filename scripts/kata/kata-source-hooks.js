// Module hooks for `npm run kata`: a kata file's source is served from the learner's copy. Registered only by the
// kata runner (through NODE_OPTIONS, so child processes a proof spawns get them too), never under `npm test`.
import { readFile } from 'node:fs/promises';

/** kata file URL → the learner's copy (a path). */
let copies = new Map();

export function initialize(data) {
  copies = new Map(Object.entries(data.copies));
}

// The module keeps the kata's URL, so its relative imports resolve as the kata's do; only the text is the
// learner's. This hook must run before swc's (it reads the source that swc then compiles), which is why it is
// registered first, from NODE_OPTIONS.
export async function load(url, context, nextLoad) {
  const copy = copies.get(url);
  if (copy === undefined) return nextLoad(url, context);
  const loaded = await nextLoad(url, context);
  return { ...loaded, source: await readFile(copy, 'utf8') };
}
