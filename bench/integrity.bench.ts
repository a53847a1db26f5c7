/**
 * What checking a hash on read costs in CPU (docs/history.md, "Checked on every read"): a
 * revision's hash recomputed from its stored terms (the Taraz text with its commitments, and the
 * largest text the API accepts in three languages) beside serialising the same revision as the
 * JSON answer, which every read already pays; an evidence file's SHA-256 (64 KiB, 10 MiB) beside
 * copying its bytes once. Prints the median of many runs per figure; no database needed.
 */
import { createHash } from 'node:crypto';
import { TARAZ_MEMORANDUM, tarazMemorandumText } from '../apps/cli/src/demo/taraz-memorandum';
import { frozenRevisionHash, RevisionCommitment, RevisionParty } from '@kelisim/memoranda';

function medianMs(work: () => unknown, runs: number): number {
  for (let i = 0; i < Math.min(runs, 20); i++) work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const parties: RevisionParty[] = Array.from({ length: 7 }, (_, i) => ({
  organisationId: `00000000-0000-4000-8000-00000000000${i}`,
  role: i < 5 ? 'signatory' : 'witness',
  order: i + 1,
  requiredSignatures: 1,
}));
const commitments: RevisionCommitment[] = Array.from({ length: 3 }, (_, i) => ({
  key: `10000000-0000-4000-8000-00000000000${i}`,
  title: `Совместное мероприятие ${i}`,
  description: 'Круглый стол «Бірлік пен келісім»',
  clauseRef: `п. 2.${i + 1}`,
  leadOrganisationId: parties[i].organisationId,
  organisationIds: [parties[i + 1].organisationId],
  target: { quantity: 4, unit: 'мероприятия' },
  dueDate: null,
  rrule: 'FREQ=MONTHLY;INTERVAL=3',
}));
const taraz = {
  title: TARAZ_MEMORANDUM.title,
  purpose: TARAZ_MEMORANDUM.purpose,
  body: tarazMemorandumText(),
  language: TARAZ_MEMORANDUM.language,
  timeZone: TARAZ_MEMORANDUM.timeZone,
  effectiveDate: '2021-09-28',
  endDate: '2024-09-28',
  translations: null,
};
const big = 'Тараптар жастар саясаты саласында ынтымақтасады. '.repeat(10_000).slice(0, 500_000);
const largest = {
  ...taraz,
  body: big,
  translations: {
    equallyAuthentic: true,
    texts: { kk: { title: 't', purpose: 'p', body: big }, en: { title: 't', purpose: 'p', body: big } },
  },
};

const line = (label: string, ms: number, baseline: number, baselineLabel: string) =>
  process.stdout.write(
    `${label.padEnd(46)} ${ms.toFixed(3).padStart(9)} ms   ${baselineLabel.padEnd(30)} ${baseline.toFixed(3).padStart(9)} ms   ×${(ms / baseline).toFixed(2)}\n`,
  );

for (const [label, terms, runs] of [
  [`revision hash, Taraz text (${taraz.body.length} chars)`, taraz, 2000],
  ['revision hash, 3 × 500,000 chars', largest, 30],
] as const) {
  const row = { ...terms, parties, hash: frozenRevisionHash(terms, parties, commitments) };
  line(
    label,
    medianMs(() => frozenRevisionHash(terms, parties, commitments), runs),
    medianMs(() => JSON.stringify(row), runs),
    'baseline: JSON of the answer',
  );
}
for (const size of [64 * 1024, 10 * 1024 * 1024]) {
  const bytes = Buffer.alloc(size, 7);
  const runs = size > 1e6 ? 30 : 2000;
  line(
    `file SHA-256, ${size / 1024} KiB`,
    medianMs(() => createHash('sha256').update(bytes).digest('hex'), runs),
    medianMs(() => Buffer.from(bytes), runs),
    'baseline: one copy of the bytes',
  );
}
