/** Compares a typed signature name with a user's full name: NFC, collapsed whitespace, case folded. */
export function foldName(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, ' ').trim().toLocaleLowerCase('und').normalize('NFC');
}

export function sameName(a: string, b: string): boolean {
  return foldName(a) === foldName(b);
}
