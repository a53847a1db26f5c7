/**
 * Language versions of a draft: a translation left as it was while the original changed is marked
 * as possibly out of date (a warning, never a refusal), cleared by editing it or confirming it
 * checked; the revision diff comes in labelled sections per language, without text markers.
 */
import { Role } from '@kelisim/identity';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe('stale translations and per-language diffs', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let rep: TestUser;
  let orgIds: string[];
  let id: string;

  const kk = {
    title: 'Ынтымақтастық туралы меморандум',
    purpose: 'Қоғамдық келісім',
    body: '1. Тараптар.\n2. Мерзімі.',
  };
  const ru = { title: 'Меморандум о сотрудничестве', purpose: 'Общественное согласие', body: '1. Стороны.\n2. Срок.' };

  beforeAll(async () => {
    t = await startTestApp();
    orgIds = [(await createOrganisation(t, 'Қоғамдық келісім')).id, (await createOrganisation(t, 'Жас Отан')).id];
    coordinator = await createUser(t, {
      fullName: 'Парида Мамедова',
      email: 'c@kelisim.test',
      organisationId: orgIds[0],
      roles: [Role.Coordinator, Role.PartyRepresentative],
    });
    rep = await createUser(t, {
      fullName: 'Айгүл Нұрлан',
      email: 'r@jasotan.test',
      organisationId: orgIds[1],
      roles: [Role.PartyRepresentative],
    });
    const created = await t
      .http()
      .post('/memoranda')
      .set(coordinator.auth)
      .send({
        ...ru,
        language: 'ru',
        coordinatingOrganisationId: orgIds[0],
        translations: { equallyAuthentic: true, texts: { kk } },
      });
    expect(created.status).toBe(201);
    id = created.body.id;
    expect(created.body.staleTranslations).toEqual([]);
  });
  afterAll(() => t?.close());

  const read = async () => (await t.http().get(`/memoranda/${id}`).set(coordinator.auth)).body;
  const patch = async (body: Record<string, unknown>) =>
    t
      .http()
      .patch(`/memoranda/${id}`)
      .set(coordinator.auth)
      .send({ ...body, version: (await read()).version });

  it('marks the Kazakh text stale when only the Russian original changes, and saves all the same', async () => {
    const res = await patch({
      body: '1. Стороны.\n2. Срок — три года.',
      translations: { equallyAuthentic: true, texts: { kk } },
    });
    expect(res.status).toBe(200);
    expect(res.body.body).toBe('1. Стороны.\n2. Срок — три года.');
    expect(res.body.staleTranslations).toEqual(['kk']);
    // An edit of something else keeps the warning; the reviewer sees it too.
    expect((await patch({ orderedReview: true })).body.staleTranslations).toEqual(['kk']);
  });

  it('clears it when the coordinator confirms the translation checked', async () => {
    const res = await patch({ translationsChecked: ['kk'] });
    expect(res.status).toBe(200);
    expect(res.body.staleTranslations).toEqual([]);
    const history = await t.http().get(`/memoranda/${id}/history`).set(coordinator.auth);
    const last = history.body.items.at(-1);
    expect(last.data.fields).toContain('translationsChecked');
  });

  it('does not mark a translation changed in the same edit, and clears one edited later', async () => {
    const both = await patch({
      purpose: 'Общественное согласие и единство',
      translations: { equallyAuthentic: true, texts: { kk: { ...kk, purpose: 'Қоғамдық келісім мен бірлік' } } },
    });
    expect(both.body.staleTranslations).toEqual([]);
    expect((await patch({ title: 'Меморандум о сотрудничестве (Тараз)' })).body.staleTranslations).toEqual(['kk']);
    const edited = await patch({
      translations: {
        equallyAuthentic: true,
        texts: { kk: { ...kk, title: 'Ынтымақтастық туралы меморандум (Тараз)' } },
      },
    });
    expect(edited.body.staleTranslations).toEqual([]);
  });

  it('refuses to confirm a translation the text does not have, naming the field, and changes nothing', async () => {
    await patch({ body: '1. Стороны.\n2. Срок — пять лет.' });
    const before = await read();
    expect(before.staleTranslations).toEqual(['kk']);
    for (const value of [['en'], ['xx'], 'kk', [1]]) {
      const res = await patch({ translationsChecked: value });
      expect([400, 422]).toContain(res.status);
      expect(res.body.errors[0].field).toMatch(/^translationsChecked/);
    }
    const after = await read();
    expect(after.version).toBe(before.version);
    expect(after.staleTranslations).toEqual(['kk']);
  });

  it('diffs each language in labelled sections, with no markers in the patches', async () => {
    // In any order: the representative decides first.
    expect((await patch({ translationsChecked: ['kk'], orderedReview: false })).body.staleTranslations).toEqual([]);
    for (const organisationId of orgIds)
      await t
        .http()
        .post(`/memoranda/${id}/parties`)
        .set(coordinator.auth)
        .send({ organisationId, role: 'signatory' })
        .expect(201);
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({});
    expect(submitted.status).toBe(200);
    await t
      .http()
      .post(`/memoranda/${id}/approvals`)
      .set(rep.auth)
      .send({ decision: 'request_changes', revisionHash: submitted.body.currentRevision.hash, comment: 'Срок?' })
      .expect(201);
    const edited = await patch({ body: '1. Стороны.\n2. Срок — три года.\n3. Заключительные положения.' });
    expect(edited.body.staleTranslations).toEqual(['kk']);
    expect((await t.http().post(`/memoranda/${id}/submit`).set(coordinator.auth).send({})).status).toBe(200);

    const diff = await t.http().get(`/memoranda/${id}/revisions/1/diff/2`).set(rep.auth);
    expect(diff.status).toBe(200);
    const sections = diff.body.sections as Array<{
      section: string;
      language: string | null;
      changed: boolean;
      patch: string;
    }>;
    expect(sections.map((s) => `${s.section}:${s.language ?? ''}`)).toEqual([
      'terms:',
      'title:ru',
      'purpose:ru',
      'body:ru',
      'title:kk',
      'purpose:kk',
      'body:kk',
    ]);
    const body = sections.find((s) => s.section === 'body' && s.language === 'ru')!;
    expect(body).toMatchObject({ changed: true, added: 2, removed: 1, lineByLine: true });
    expect(body.patch).toContain('+3. Заключительные положения.');
    expect(sections.filter((s) => s.changed).map((s) => `${s.section}:${s.language ?? ''}`)).toEqual(['body:ru']);
    for (const s of sections) {
      expect(s.patch).not.toMatch(/^[-+ ]?== \w\w ==$/m);
      expect(s.patch).not.toMatch(/^[-+ ](Title|Purpose|Body):/m);
    }
    const onlyKk = await t.http().get(`/memoranda/${id}/revisions/1/diff/2?language=kk`).set(rep.auth);
    expect(onlyKk.body.sections.map((s: { section: string }) => s.section)).toEqual([
      'terms',
      'title',
      'purpose',
      'body',
    ]);
    expect(onlyKk.body.sections.every((s: { language: string | null }) => s.language !== 'ru')).toBe(true);
  });
});
