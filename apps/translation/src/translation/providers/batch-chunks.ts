/**
 * Splits `items` into consecutive chunks of at most `maxItems` whose `weight` sums to at most `maxWeight`
 * (an item heavier than `maxWeight` alone is its own chunk: the provider, not the splitter, refuses it).
 */
export function chunkByLimits<T>(
  items: readonly T[],
  maxItems: number,
  maxWeight: number,
  weight: (item: T) => number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentWeight = 0;
  for (const item of items) {
    const itemWeight = weight(item);
    if (current.length > 0 && (current.length >= maxItems || currentWeight + itemWeight > maxWeight)) {
      chunks.push(current);
      current = [];
      currentWeight = 0;
    }
    current.push(item);
    currentWeight += itemWeight;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
