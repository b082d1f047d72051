/**
 * A uniformly random sample of the indexes 0 … count − 1 with the same share of each group (an API instance, say):
 * `perGroup(size)` of each group's `size` members, at least one of a group that has any. Every member of a group
 * has the same chance, whatever its place in the order or its role, so the sample's measurements are its group's.
 */
export function randomSampleByGroup(
  count: number,
  groupOf: (index: number) => number,
  perGroup: (size: number) => number,
): Set<number> {
  const groups = new Map<number, number[]>();
  for (let index = 0; index < count; index += 1) {
    const group = groupOf(index);
    const members = groups.get(group);
    if (members === undefined) groups.set(group, [index]);
    else members.push(index);
  }
  const sample = new Set<number>();
  for (const members of groups.values()) {
    const size = Math.min(members.length, Math.max(1, Math.round(perGroup(members.length))));
    // A partial Fisher–Yates shuffle: the first `size` are a uniform random subset.
    for (let picked = 0; picked < size; picked += 1) {
      const other = picked + Math.floor(Math.random() * (members.length - picked));
      [members[picked], members[other]] = [members[other]!, members[picked]!];
      sample.add(members[picked]!);
    }
  }
  return sample;
}
