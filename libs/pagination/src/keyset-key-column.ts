/** Result-column aliases under which a page query returns its sort keys as cursor text. */
export type KeysetKeyColumn = `keyset_${number}`;

export function keysetKeyColumn(index: number): KeysetKeyColumn {
  return `keyset_${index}`;
}

export function isKeysetKeyColumn(name: string): name is KeysetKeyColumn {
  return /^keyset_\d+$/.test(name);
}
