/** Renders the transition table as the Markdown of docs/lifecycle.md (checked by lifecycle-doc.spec.ts). */
import { MEMORANDUM_TRANSITIONS, TransitionRule } from './memorandum-transitions';

export const LIFECYCLE_TABLE_BEGIN =
  '<!-- lifecycle-table:begin (generated from libs/memoranda/src/lifecycle/memorandum-transitions.ts) -->';
export const LIFECYCLE_TABLE_END = '<!-- lifecycle-table:end -->';

function who(rule: TransitionRule): string {
  switch (rule.performer) {
    case 'timer':
      return 'timed (worker)';
    case 'coordinator':
      return 'coordinator of the coordinating organisation';
    case 'party':
      return 'party_representative of a party';
    case 'signer':
      return 'signatory of a signatory party (electronic) or coordinator (in_person)';
  }
}

export function renderLifecycleTable(): string {
  const lines = [
    '| from | action | to | when the stage completes | who | guards |',
    '| --- | --- | --- | --- | --- | --- |',
    ...MEMORANDUM_TRANSITIONS.map(
      (r) =>
        `| \`${r.from}\` | \`${r.action}\` | \`${r.to}\`${r.deferredTo ? ` (a future date: stays, pending until \`${r.deferredTo}\`)` : ''} | ${r.whenComplete ? `\`${r.whenComplete}\`` : ''} | ${who(r)} | ${r.guards.map((g) => `\`${g}\``).join(', ')} |`,
    ),
  ];
  return [LIFECYCLE_TABLE_BEGIN, ...lines, LIFECYCLE_TABLE_END].join('\n');
}

/** Replaces the generated block of a document with the current table. */
export function withLifecycleTable(doc: string): string {
  const start = doc.indexOf(LIFECYCLE_TABLE_BEGIN);
  const end = doc.indexOf(LIFECYCLE_TABLE_END);
  if (start < 0 || end < 0) return `${doc.trimEnd()}\n\n${renderLifecycleTable()}\n`;
  return doc.slice(0, start) + renderLifecycleTable() + doc.slice(end + LIFECYCLE_TABLE_END.length);
}
