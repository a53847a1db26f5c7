/** A unified diff's lines as rows of a side-by-side table: the earlier text left, the later right. */
export type Row = { left?: string; right?: string; kind: 'same' | 'changed' | 'removed' | 'added' | 'gap' };

export function sideBySide(patch: string): Row[] {
  const rows: Row[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const n = Math.max(removed.length, added.length);
    for (let i = 0; i < n; i++) {
      const left = removed[i];
      const right = added[i];
      rows.push({
        left,
        right,
        kind: left !== undefined && right !== undefined ? 'changed' : left !== undefined ? 'removed' : 'added',
      });
    }
    removed = [];
    added = [];
  };
  // The file header (---/+++) comes before the first hunk only: after it, "---" is a removed "--" line.
  let inHunks = false;
  for (const line of patch.split('\n')) {
    if (line.startsWith('@@')) {
      inHunks = true;
      flush();
      rows.push({ kind: 'gap', left: line });
    } else if (!inHunks) continue;
    else if (line.startsWith('-')) removed.push(line.slice(1));
    else if (line.startsWith('+')) added.push(line.slice(1));
    else if (line.startsWith(' ')) {
      flush();
      rows.push({ kind: 'same', left: line.slice(1), right: line.slice(1) });
    }
  }
  flush();
  return rows;
}
