/**
 * Whose turn it is in ordered review and sequential signing, as the lifecycle's guard decides it
 * (`turn_reached`: every signatory party earlier in the order has finished): reminders go only to
 * the parties whose turn has come, counted from when the last earlier party finished. Pure.
 */
export interface TurnParty {
  organisationId: string;
  order: number;
  /** When the party finished the stage (approved; all required signatures), or null. */
  doneAt: Date | null;
}

export interface InTurn {
  organisationId: string;
  /** When its turn began: the latest finish of an earlier party, or `openedAt` for the first. */
  since: Date;
}

/** Signatory parties not done whose every earlier party (smaller order) is done. */
export function partiesInTurn(parties: TurnParty[], openedAt: Date): InTurn[] {
  const out: InTurn[] = [];
  for (const p of parties) {
    if (p.doneAt) continue;
    const earlier = parties.filter((q) => q.order < p.order);
    if (!earlier.every((q) => q.doneAt)) continue;
    const since = earlier.reduce((t, q) => (q.doneAt!.getTime() > t.getTime() ? q.doneAt! : t), openedAt);
    out.push({ organisationId: p.organisationId, since });
  }
  return out;
}
