/**
 * `kelisim demo`: the Taraz youth memorandum of 28 September 2021 (apps/cli/src/demo) walked
 * through its whole life by calling the HTTP API of an in-process app, as a client would: people
 * log in, the coordinator drafts, a party asks for changes, everyone approves the new revision,
 * the ceremony signatures are recorded, and the history chain is verified at the end.
 * Runs again on the same database: organisations and people are reused (their passwords reset),
 * and a new memorandum is created each time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EvidenceSeal, EvidenceService, verifyEvidencePdf } from '@kelisim/evidence';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { Language, OrganisationKind, OrganisationsService, Role, User, UsersService } from '@kelisim/identity';
import { configureHttpApp } from '@kelisim/platform/http-app';
import { ApiModule } from '../../../api/src/api.module';
import {
  SeedOrganisation,
  SeedPerson,
  TARAZ_MEMORANDUM,
  TARAZ_MEMORANDUM_KK,
  TARAZ_ORGANISATIONS,
  tarazMemorandumText,
} from '../demo/taraz-memorandum';
import { loadEnvironment, withInfrastructure } from '../processes';
import { addSeedCommitments, demoFollowUp, scopeDemoSupervisor } from './demo-follow-up';

const DEMO_ADMIN = {
  email: 'demo-admin@kelisim.example.kz',
  fullName: 'Демо Әкімші',
  organisation: 'Kelisim — демо-оператор',
};

class DemoStepError extends Error {}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A tiny JSON client for the API; any answer outside 2xx stops the demo with the error body. */
class ApiClient {
  /** `afterWrite`: run after every successful write (the demo dispatches the outbox, as the worker would). */
  constructor(
    readonly base: string,
    private readonly afterWrite: () => Promise<unknown> = async () => undefined,
  ) {}

  async call(method: string, path: string, token: string | null, body?: unknown): Promise<Json> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json: Json = {};
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {
      json = { message: text };
    }
    if (!res.ok) {
      const errors = Array.isArray(json.errors)
        ? ` [${json.errors.map((e: Json) => `${e.field}: ${e.message}`).join('; ')}]`
        : '';
      throw new DemoStepError(`${method} ${path} → ${res.status} ${json.code ?? ''}: ${json.message ?? text}${errors}`);
    }
    if (method !== 'GET') await this.afterWrite();
    return json;
  }

  get = (path: string, token: string) => this.call('GET', path, token);
  post = (path: string, token: string | null, body: unknown = {}) => this.call('POST', path, token, body);
  patch = (path: string, token: string, body: unknown) => this.call('PATCH', path, token, body);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const short = (hash: string | null | undefined) => (hash ? `${hash.slice(0, 12)}…` : '—');
const newPassword = () => `Demo-${randomBytes(9).toString('base64url')}`;
const EVENTS_RU: Record<string, string> = { one: 'событие', few: 'события', many: 'событий', other: 'события' };
const PARTY_ROLE_RU: Record<string, string> = { signatory: 'подписант', witness: 'свидетель', observer: 'наблюдатель' };

export async function demo(): Promise<void> {
  const env = loadEnvironment();
  await withInfrastructure(env, async (infra) => {
    // Each step's events are dispatched here, as the worker would: the people it needs find its notices in their
    // inboxes. No timer fires in this process (reminders, overdue marks and e-mail wait for `kelisim start`).
    const { OutboxDispatchModule } = await import('../../../worker/src/outbox/outbox-dispatch.module');
    const { OutboxDispatcher } = await import('../../../worker/src/outbox/outbox-dispatcher');
    const app = await NestFactory.create(
      ApiModule.forRoot({ ...infra.overrides, LOG_LEVEL: 'warn' }, { mount: [OutboxDispatchModule] }),
      { bodyParser: false, logger: ['error', 'warn'] },
    );
    try {
      configureHttpApp(app, { bodyLimit: env.BODY_LIMIT });
      await app.listen(0, '127.0.0.1');
      const address = app.getHttpServer().address() as { port: number };
      const base = `http://127.0.0.1:${address.port}`;
      say(`Kelisim demo: API запущен на ${base} (в этом процессе)`);
      const dispatcher = app.get(OutboxDispatcher);
      const id = await walkThrough(app, new ApiClient(base, () => dispatcher.dispatch()));
      await inboxesOf(app, id);
      await evidenceOf(app, base, id, env.DATA_DIR);
    } catch (e) {
      if (!(e instanceof DemoStepError)) throw e;
      say(`ОШИБКА: ${e.message}`);
      process.exitCode = 1;
    } finally {
      await app.close();
    }
  });
}

/** What the steps told people at once (docs/notifications.md): the demo's inboxes are not empty. */
async function inboxesOf(app: INestApplication, id: string): Promise<void> {
  const [row] = (await app.get(DataSource).query(
    `SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS people, count(DISTINCT topic)::int AS kinds
       FROM notifications WHERE memorandum_id = $1`,
    [id],
  )) as Array<{ n: number; people: number; kinds: number }>;
  say(
    `Уведомления в приложении: ${row.n} у ${row.people} человек (${row.kinds} видов); письма уйдут при kelisim start`,
  );
  if (!row.n) throw new DemoStepError('ни одного уведомления: шаги никому не сообщили');
}

/** The first admin cannot come from the API; like `kelisim create-admin`, it is made in-process. */
async function ensureDemoAdmin(app: INestApplication): Promise<{ email: string; password: string; created: boolean }> {
  const db = app.get(DataSource);
  const users = app.get(UsersService);
  const password = newPassword();
  const existing = await db.getRepository(User).findOneBy({ email: DEMO_ADMIN.email });
  if (existing) {
    if (!existing.roles.includes(Role.Admin))
      throw new DemoStepError(`${DEMO_ADMIN.email} exists but is not an admin; the demo will not touch it`);
    await users.update(existing.id, { password, active: true });
    return { email: DEMO_ADMIN.email, password, created: false };
  }
  const [org] = (await db.query('SELECT id FROM organisations WHERE name = $1', [DEMO_ADMIN.organisation])) as Array<{
    id: string;
  }>;
  const organisationId =
    org?.id ??
    (
      await app.get(OrganisationsService).create({
        name: DEMO_ADMIN.organisation,
        shortName: DEMO_ADMIN.organisation,
        kind: OrganisationKind.Other,
        language: Language.Russian,
      })
    ).id;
  await users.create({
    email: DEMO_ADMIN.email,
    fullName: DEMO_ADMIN.fullName,
    password,
    organisationId,
    roles: [Role.Admin],
    language: Language.Russian,
  });
  return { email: DEMO_ADMIN.email, password, created: true };
}

interface Person extends SeedPerson {
  id: string;
  token: string;
  password: string;
}

async function walkThrough(app: INestApplication, api: ApiClient): Promise<string> {
  // 1. The operator and the people of the memorandum.
  const admin = await ensureDemoAdmin(app);
  const adminToken = (await api.post('/auth/login', null, { email: admin.email, password: admin.password }))
    .token as string;
  say(`Администратор ${admin.email}: ${admin.created ? 'создан' : 'уже был, пароль обновлён'}, вход выполнен`);

  const orgIds: Record<string, string> = {};
  const people: Record<string, Person[]> = {};
  for (const o of TARAZ_ORGANISATIONS) {
    orgIds[o.key] = await ensureOrganisation(api, adminToken, o);
    people[o.key] = [];
    for (const p of o.people) {
      const password = newPassword();
      const found = (await api.get(`/users?q=${encodeURIComponent(p.email)}&pageSize=100`, adminToken)).items.find(
        (u: Json) => u.email === p.email,
      );
      let id: string;
      if (found) {
        if (found.organisationId !== orgIds[o.key])
          throw new DemoStepError(`${p.email} belongs to another organisation; the demo will not move it`);
        id = (await api.patch(`/users/${found.id}`, adminToken, { password, roles: p.roles, active: true })).id;
      } else {
        id = (
          await api.post('/users', adminToken, {
            fullName: p.fullName,
            email: p.email,
            password,
            organisationId: orgIds[o.key],
            roles: p.roles,
            language: p.language,
          })
        ).id;
      }
      const token = (await api.post('/auth/login', null, { email: p.email, password })).token as string;
      people[o.key].push({ ...p, id, token, password });
      say(
        `Пользователь ${p.fullName} (${p.roles.join(', ')}) — ${o.shortName}: ${found ? 'уже был' : 'создан'}, вход выполнен; ${p.email} / ${password}`,
      );
    }
  }

  const supervisorOrg = TARAZ_ORGANISATIONS.find((o) => o.partyRole === 'supervisor');
  const supervisor = supervisorOrg ? people[supervisorOrg.key][0] : undefined;
  if (supervisor) await scopeDemoSupervisor(api, adminToken, supervisor.id, orgIds.kelisim);

  const coordinatorOrg = TARAZ_ORGANISATIONS.find((o) => o.partyRole === 'coordinator')!;
  const coordinator = people[coordinatorOrg.key].find((p) => p.roles.includes('coordinator'))!;
  const representative = (o: SeedOrganisation) => people[o.key].find((p) => p.roles.includes('party_representative'))!;
  const signatoryOf = (o: SeedOrganisation) => people[o.key].find((p) => p.roles.includes('signatory'))!;

  // 2. The draft and its parties: the coordinating institution signs too. The real term (2021–2024)
  //    is over: signing after the end date is refused, so the demo keeps the real effective date and,
  //    once the real end date has passed, gives the memorandum three more years from today.
  const text = tarazMemorandumText();
  const kazakh = { ...TARAZ_MEMORANDUM_KK, body: tarazMemorandumText('kk') };
  const today = new Date().toISOString().slice(0, 10);
  const endDate =
    TARAZ_MEMORANDUM.endDate > today
      ? TARAZ_MEMORANDUM.endDate
      : `${Number(today.slice(0, 4)) + 3}${today.slice(4).replace('-02-29', '-02-28')}`;
  if (endDate !== TARAZ_MEMORANDUM.endDate)
    say(`Срок действия оригинала (${TARAZ_MEMORANDUM.endDate}) истёк; для демонстрации — до ${endDate}`);
  let m = await api.post('/memoranda', coordinator.token, {
    title: TARAZ_MEMORANDUM.title,
    purpose: TARAZ_MEMORANDUM.purpose,
    body: text,
    language: TARAZ_MEMORANDUM.language,
    timeZone: TARAZ_MEMORANDUM.timeZone,
    effectiveDate: TARAZ_MEMORANDUM.effectiveDate,
    endDate,
    coordinatingOrganisationId: orgIds[coordinatorOrg.key],
    // Kazakh and Russian side by side, equally authentic: one revision hash covers both.
    translations: { equallyAuthentic: true, texts: { kk: kazakh } },
  });
  const id = m.id as string;
  say(`Черновик создан: «${m.title}» (${id}), координатор ${coordinator.fullName}, статус ${m.status}`);

  const parties = TARAZ_ORGANISATIONS.filter((o) => o.partyRole !== 'supervisor');
  const roleOf = (o: SeedOrganisation) => (o.partyRole === 'coordinator' ? 'signatory' : o.partyRole);
  for (const o of parties) {
    const party = await api.post(`/memoranda/${id}/parties`, coordinator.token, {
      organisationId: orgIds[o.key],
      role: roleOf(o),
    });
    say(`Сторона добавлена: ${o.shortName} — ${PARTY_ROLE_RU[party.role] ?? party.role} (порядок ${party.order})`);
  }
  // The follow-up is part of the text the parties approve.
  const commitmentIds = await addSeedCommitments(api, coordinator.token, id, orgIds);

  // 3. Review: one party asks for a change, the coordinator makes it and submits again.
  m = await api.post(`/memoranda/${id}/submit`, coordinator.token);
  say(
    `Отправлен на согласование: редакция ${m.currentRevision.number}, хэш ${short(m.currentRevision.hash)}, статус ${m.status}`,
  );

  const critic =
    TARAZ_ORGANISATIONS.find((o) => o.key === 'jas-otan') ??
    parties.find((o) => roleOf(o) === 'signatory' && o !== coordinatorOrg)!;
  const request = 'Просим дополнить меморандум пунктом о ежеквартальном обмене планами совместных мероприятий.';
  const changes = await api.post(`/memoranda/${id}/approvals`, representative(critic).token, {
    decision: 'request_changes',
    revisionHash: m.currentRevision.hash,
    comment: request,
  });
  say(
    `${critic.shortName} (${representative(critic).fullName}) просит изменения: «${request}» — статус ${changes.memorandumStatus}`,
  );

  m = await api.get(`/memoranda/${id}`, coordinator.token);
  const amendedBody = `${text.trimEnd()}\n\nСтороны ежеквартально обмениваются планами совместных мероприятий.\n`;
  const amendedKazakh = `${kazakh.body.trimEnd()}\n\nТараптар бірлескен іс-шаралар жоспарларымен тоқсан сайын алмасады.\n`;
  m = await api.patch(`/memoranda/${id}`, coordinator.token, {
    body: amendedBody,
    translations: { equallyAuthentic: true, texts: { kk: { ...kazakh, body: amendedKazakh } } },
    version: m.version,
  });
  say(`Координатор внёс правку в текст: редакция ${m.currentRevision.number}, версия ${m.version}`);
  m = await api.post(`/memoranda/${id}/submit`, coordinator.token);
  const revisionHash = m.currentRevision.hash as string;
  say(`Повторно отправлен на согласование: редакция ${m.currentRevision.number}, хэш ${short(revisionHash)}`);

  // 4. Witness and observer comment while the review is open; then every signatory party approves
  //    the same frozen revision (the last approval moves the memorandum to approved).
  for (const o of parties.filter((p) => roleOf(p) !== 'signatory')) {
    const rep = representative(o);
    await api.post(`/memoranda/${id}/approvals`, rep.token, {
      decision: 'comment',
      revisionHash,
      comment: 'Ознакомлены, замечаний нет.',
    });
    say(`Комментарий: ${o.shortName} (${rep.fullName}) — «Ознакомлены, замечаний нет.»`);
  }
  for (const o of parties.filter((p) => roleOf(p) === 'signatory')) {
    const rep = representative(o);
    const d = await api.post(`/memoranda/${id}/approvals`, rep.token, { decision: 'approve', revisionHash });
    say(`Одобрено: ${o.shortName} (${rep.fullName}) — статус ${d.memorandumStatus}`);
  }
  m = await api.get(`/memoranda/${id}`, coordinator.token);
  if (m.status !== 'approved')
    throw new DemoStepError(`после одобрения всех сторон статус ${m.status}, ожидался approved`);

  // 5. The signing ceremony in Taraz; the coordinator records each party's signature.
  const { ceremony } = TARAZ_MEMORANDUM;
  m = await api.post(`/memoranda/${id}/open-signing`, coordinator.token, {
    mode: 'parallel',
    ceremony: { date: ceremony.date, place: ceremony.place },
  });
  say(`Подписание открыто: церемония ${ceremony.date}, ${ceremony.place} — статус ${m.status}`);
  for (const o of parties.filter((p) => roleOf(p) === 'signatory')) {
    const signer = signatoryOf(o);
    const reference = `Подписанный экземпляр меморандума, лист подписи «${o.shortName}», фото церемонии ${ceremony.date.slice(0, 10)}`;
    const s = await api.post(`/memoranda/${id}/signatures`, coordinator.token, {
      method: 'in_person',
      revisionHash,
      organisationId: orgIds[o.key],
      signerName: signer.fullName,
      signedAt: ceremony.date,
      place: ceremony.place,
      evidence: {
        reference,
        sha256: createHash('sha256').update(`${reference}\n${revisionHash}`, 'utf8').digest('hex'),
      },
    });
    say(`Подпись на церемонии: ${signer.fullName} за ${o.shortName} — статус ${s.memorandumStatus}`);
  }

  m = await api.get(`/memoranda/${id}`, coordinator.token);
  say(
    `Итог: меморандум ${m.status === 'active' ? 'исполнен и действует' : m.status === 'executed' ? 'исполнен' : 'в статусе'} — статус ${m.status}, действует с ${m.effectiveDate} по ${m.endDate}`,
  );
  if (m.status !== 'active' && m.status !== 'executed')
    throw new DemoStepError(`после всех подписей статус ${m.status}, ожидался executed или active`);

  // 6. Follow-up: a report with evidence, the supervisor's dashboard.
  if (m.status === 'active') {
    const youth = TARAZ_ORGANISATIONS.find((o) => o.key === 'youth-office')!;
    await demoFollowUp(
      api,
      {
        reporter: representative(youth).token,
        supervisor: supervisor?.token ?? null,
      },
      id,
      commitmentIds,
      orgIds,
    );
  }

  // 7. The history, and its hash chain checked.
  const history = await api.get(`/memoranda/${id}/history`, coordinator.token);
  const items = (history.items ?? []) as Json[];
  say(
    `История: ${items.length} ${EVENTS_RU[new Intl.PluralRules('ru').select(items.length)] ?? 'событий'} (${items.map((e) => e.action).join(', ')})`,
  );
  const verification = await api.get(`/memoranda/${id}/history/verify`, coordinator.token);
  if (verification.valid) {
    say(`Проверка цепочки хэшей истории: цела, последний хэш ${items.at(-1)?.hash ?? '—'}`);
  } else {
    say(`Проверка цепочки хэшей истории: НАРУШЕНА на событии ${verification.brokenAtSeq}`);
    process.exitCode = 1;
  }
  say(`Проверить снова: kelisim verify-history ${id}`);
  return id;
}

/**
 * 7. The evidence PDF: asked of the API as a client would; this process runs no worker, so it
 * renders the queued PDF itself, as the worker would, then fetches it, saves it under DATA_DIR
 * and verifies it offline.
 */
async function evidenceOf(app: INestApplication, base: string, id: string, dataDir: string): Promise<void> {
  const admin = await ensureDemoAdmin(app);
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  });
  const { token } = (await login.json()) as { token: string };
  const get = () => fetch(`${base}/memoranda/${id}/evidence.pdf`, { headers: { authorization: `Bearer ${token}` } });
  // The history head may still move while the demo's last events land (the worker's own steps):
  // each 202 names the head being rendered, so render that one and ask again, a few times at most.
  let res = await get();
  for (let attempt = 0; res.status === 202 && attempt < 5; attempt++) {
    await app.get(EvidenceService, { strict: false }).render(id);
    res = await get();
  }
  if (res.status !== 200) throw new DemoStepError(`GET /memoranda/${id}/evidence.pdf → ${res.status}`);
  const pdf = Buffer.from(await res.arrayBuffer());
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `kelisim-evidence-${id}.pdf`);
  writeFileSync(file, pdf);
  // Checked as anyone would check it offline, trusting this installation's seal by its fingerprint.
  const seal = await app.get(EvidenceSeal, { strict: false }).certificate();
  const verdict = verifyEvidencePdf(pdf, { fingerprints: [seal.fingerprint] });
  say(
    `PDF-доказательство (ru + kk): ${file}, ${pdf.length} байт — ${verdict.valid ? 'проверка пройдена' : 'ПРОВЕРКА НЕ ПРОЙДЕНА'}`,
  );
  if (!verdict.valid) process.exitCode = 1;
  say(`Печать «${seal.subject}», SHA-256 сертификата ${seal.fingerprint}`);
  say(`Готово. Проверить PDF без сервера: kelisim verify-evidence ${file} --trust ${seal.fingerprint}`);
}

async function ensureOrganisation(api: ApiClient, adminToken: string, o: SeedOrganisation): Promise<string> {
  const found = (
    await api.get(`/organisations?q=${encodeURIComponent(o.shortName)}&pageSize=100`, adminToken)
  ).items.find((x: Json) => x.name === o.name);
  if (found) {
    say(`Организация ${o.shortName}: уже есть, используется (${found.id})`);
    return found.id as string;
  }
  const created = await api.post('/organisations', adminToken, {
    name: o.name,
    shortName: o.shortName,
    kind: o.kind,
    language: o.language,
  });
  say(`Организация ${o.shortName}: создана (${created.id})`);
  return created.id as string;
}
