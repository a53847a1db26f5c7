/**
 * The follow-up part of `kelisim demo`: the seed memorandum's commitments (joint events for unity
 * and accord every quarter, an exchange of experience, a joint study with the university) are
 * written into the draft before submission, so the parties approve them with the text; once signed,
 * a party files a report with an evidence file and the supervisor, scoped to the coordinator, reads
 * the dashboard.
 */
import { createHash } from 'node:crypto';
import { TARAZ_MEMORANDUM } from '../demo/taraz-memorandum';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface DemoApi {
  readonly base: string;
  get(path: string, token: string): Promise<Json>;
  post(path: string, token: string | null, body?: unknown): Promise<Json>;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Leads and other responsible parties of the seed's three commitments, by organisation key. */
const PLAN = [
  {
    lead: 'youth-office',
    others: ['jas-otan', 'zhas-ulan'],
    clauseRef: 'п. 2.1',
    target: { quantity: 4, unit: 'мероприятия в год' },
  },
  { lead: 'jas-otan', others: ['zhangyru'], clauseRef: 'п. 2.2' },
  { lead: 'kelisim', others: ['dulaty'], clauseRef: 'п. 2.3' },
];

export async function addSeedCommitments(
  api: DemoApi,
  token: string,
  memorandumId: string,
  orgIds: Record<string, string>,
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, c] of TARAZ_MEMORANDUM.commitments.entries()) {
    const plan = PLAN[i];
    const made = await api.post(`/memoranda/${memorandumId}/commitments`, token, {
      ...c,
      clauseRef: plan.clauseRef,
      leadOrganisationId: orgIds[plan.lead],
      organisationIds: plan.others.filter((k) => orgIds[k]).map((k) => orgIds[k]),
      ...(plan.target ? { target: plan.target } : {}),
    });
    ids.push(made.id);
    say(
      `Обязательство (${plan.clauseRef}): «${made.title}» — ${made.occurrences.length} срок(ов) в пределах срока действия`,
    );
  }
  return ids;
}

/**
 * The supervisor's scope, given as soon as the supervisor exists: a supervisor without a scope sees
 * nothing, and the regional office supervises the memoranda of «Қоғамдық келісім».
 */
export async function scopeDemoSupervisor(
  api: DemoApi,
  adminToken: string,
  supervisorUserId: string,
  organisationId: string,
): Promise<void> {
  const scopes = await api.get(`/supervision-scopes?supervisorUserId=${supervisorUserId}`, adminToken);
  if (!scopes.items.some((s: Json) => s.organisationId === organisationId))
    await api.post('/supervision-scopes', adminToken, { supervisorUserId, kind: 'organisation', organisationId });
  say('Надзор: управление внутренней политики курирует меморандумы «Қоғамдық келісім»');
}

/** After signing: a report with an evidence file from the lead of the joint events, and the supervisor's dashboard. */
export async function demoFollowUp(
  api: DemoApi,
  tokens: { reporter: string; supervisor: string | null },
  memorandumId: string,
  commitmentIds: string[],
  orgIds: Record<string, string>,
): Promise<void> {
  const evidence = Buffer.from(
    '%PDF-1.4\n% Kelisim demo: список участников круглого стола «Бірлік пен келісім», Тараз, 28.09.2021\n%%EOF\n',
  );
  const form = new FormData();
  form.append(
    'report',
    JSON.stringify({
      date: TARAZ_MEMORANDUM.effectiveDate,
      summary: 'Круглый стол «Бірлік пен келісім» в день подписания меморандума',
      participants: 85,
      occurrenceDate: TARAZ_MEMORANDUM.effectiveDate,
      sha256: [createHash('sha256').update(evidence).digest('hex')],
    }),
  );
  form.append('files', new Blob([evidence], { type: 'application/pdf' }), 'қатысушылар тізімі.pdf');
  const res = await fetch(`${api.base}/commitments/${commitmentIds[0]}/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.reporter}` },
    body: form,
  });
  const report = (await res.json()) as Json;
  if (res.status === 201)
    say(
      `Отчёт подан: «${report.summary}», файл ${report.files[0].name} (SHA-256 ${report.files[0].sha256.slice(0, 12)}…)`,
    );
  else say(`Отчёт не подан: ${res.status} ${report.code ?? ''} ${report.message ?? ''}`);

  if (tokens.supervisor) {
    const overview = await api.get('/dashboard/overview?withinDays=90', tokens.supervisor);
    const c = overview.commitments;
    say(`Панель надзора: обязательств просрочено ${c.overdue}, к сроку в ближайшие 90 дней ${c.dueSoon}`);
  }
  say(`Экспорт: /memoranda/${memorandumId}/commitments.csv · .xlsx · /memoranda/${memorandumId}/calendar.ics`);
}
