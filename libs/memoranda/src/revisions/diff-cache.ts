import { createHash } from 'node:crypto';
import { diffTexts, LineDiff } from './line-diff';

const ENTRIES = 512;

/**
 * Diffs of rendered frozen revisions, by the SHA-256 of both texts: frozen text never changes, so
 * a repeated request (anyone who can see the memorandum can repeat it) costs a lookup. Keyed by
 * the rendered text rather than the revision hash because party names in it may be renamed.
 */
export class DiffCache {
  private readonly entries = new Map<string, LineDiff>();

  diff(fromName: string, toName: string, from: string, to: string): LineDiff {
    const key = `${fromName}\u0000${toName}\u0000${sha256(from)}\u0000${sha256(to)}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting makes it the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const computed = diffTexts(fromName, toName, from, to);
    this.entries.set(key, computed);
    if (this.entries.size > ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return computed;
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
