/**
 * A memorandum from a template with its parties and the template's commitment blueprints as its text
 * commitments (POST /memoranda/from-template), on real services: the leads, the dates relative to the
 * term, and every refusal (a placeholder, a lead that is not a party, a party twice, an unknown
 * organisation, a due date past the term) a 422 naming the field with nothing written.
 */
import request from 'supertest';
import { TARAZ_TEMPLATE_ID } from '@kelisim/templates';
import { createTaraz, person, SIGNATORY_KEYS, Taraz } from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';

const VALUES = { place: 'Тараз', signingDate: '2021-09-28', endDate: '2024-09-28' };

describe('from-template: parties and commitments from the blueprints', () => {
  let t: TestApp;
  let tz: Taraz;

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
  });
  afterAll(() => t?.close());

  const coordinator = () => person(tz, 'kelisim');
  const parties = () => [
    ...SIGNATORY_KEYS.map((k) => ({ organisationId: tz[k].id, role: 'signatory' })),
    { organisationId: tz.dulaty.id, role: 'witness' },
  ];
  const post = (body: Record<string, unknown>): Promise<request.Response> =>
    t
      .http()
      .post('/memoranda/from-template')
      .set(coordinator().auth)
      .send({ templateId: TARAZ_TEMPLATE_ID, values: VALUES, coordinatingOrganisationId: tz.kelisim.id, ...body });
  const counts = async () => {
    const [row] = await t.db.query(
      `SELECT (SELECT count(*)::int FROM memoranda) AS memoranda, (SELECT count(*)::int FROM commitments) AS commitments,
              (SELECT count(*)::int FROM memorandum_parties) AS parties, (SELECT count(*)::int FROM template_instances) AS instances,
              (SELECT count(*)::int FROM history_events) AS events`,
    );
    return row;
  };

  it('creates the draft with its parties and one text commitment per blueprint', async () => {
    const res = await post({
      parties: parties(),
      blueprintLeads: [
        { key: 'joint_event', leadOrganisationId: tz['jas-otan'].id, organisationIds: [tz['zhas-ulan'].id] },
        { key: 'joint_research', leadOrganisationId: tz.dulaty.id },
      ],
    });
    expect(res.status).toBe(201);
    const id = res.body.id;
    expect(res.body.parties.map((p: { organisationId: string; role: string }) => [p.organisationId, p.role])).toEqual(
      parties().map((p) => [p.organisationId, p.role]),
    );
    const byKey = Object.fromEntries(res.body.commitments.map((c: { blueprintKey: string }) => [c.blueprintKey, c]));
    expect(Object.keys(byKey).sort()).toEqual([
      'experience_exchange',
      'joint_event',
      'joint_research',
      'yearly_report',
    ]);
    expect(byKey.joint_event).toMatchObject({
      title: 'Совместные мероприятия по укреплению единства и согласия (Тараз)',
      leadOrganisationId: tz['jas-otan'].id,
      organisationIds: [tz['zhas-ulan'].id],
      rrule: 'FREQ=MONTHLY;INTERVAL=3',
      dueDate: null,
    });
    expect(byKey.joint_research).toMatchObject({
      leadOrganisationId: tz.dulaty.id,
      dueDate: '2022-09-28',
      rrule: null,
    });
    expect(byKey.yearly_report).toMatchObject({ leadOrganisationId: tz.kelisim.id, rrule: 'FREQ=YEARLY' });

    const list = await t.http().get(`/memoranda/${id}/commitments`).set(coordinator().auth);
    expect(list.status).toBe(200);
    const items = list.body.items ?? list.body;
    expect(items).toHaveLength(4);
    const event = items.find((c: { id: string }) => c.id === byKey.joint_event.id);
    expect(event.origin).toBe('text');
    // Quarterly from the effective date, within the term (2021-09-28 … 2024-09-28).
    const dates = event.occurrences.map((o: { date: string }) => o.date);
    expect(dates[0]).toBe('2021-09-28');
    expect(dates.at(-1)).toBe('2024-09-28');
    expect(dates).toHaveLength(13);
    const yearly = items.find((c: { id: string }) => c.id === byKey.yearly_report.id);
    expect(yearly.occurrences.map((o: { date: string }) => o.date)).toEqual([
      '2021-09-28',
      '2022-09-28',
      '2023-09-28',
      '2024-09-28',
    ]);
    const history = await t.http().get(`/memoranda/${id}/history`).set(coordinator().auth);
    const actions = history.body.items.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'add_party')).toHaveLength(6);
    expect(actions.filter((a: string) => a === 'commitment.added')).toHaveLength(4);
    expect((await t.http().get(`/memoranda/${id}/history/verify`).set(coordinator().auth)).body.valid).toBe(true);
    // The commitments are part of the text: submitting freezes them into the revision.
    const submitted = await t.http().post(`/memoranda/${id}/submit`).set(coordinator().auth).send({});
    expect(submitted.status).toBe(200);
  });

  it('without parties makes the draft only, as before (the blueprints stay recorded)', async () => {
    const res = await post({});
    expect(res.status).toBe(201);
    expect(res.body.parties).toEqual([]);
    expect(res.body.commitments).toEqual([]);
  });

  const refusals: Array<[string, () => Record<string, unknown>, string, RegExp]> = [
    [
      'a lead that is not a party',
      () => ({
        parties: parties().slice(0, 2),
        blueprintLeads: [{ key: 'joint_event', leadOrganisationId: tz['jas-otan'].id }],
      }),
      'blueprintLeads.joint_event',
      /is not a party of the memorandum/,
    ],
    [
      'a blueprint with no lead when the coordinating organisation is not a party',
      () => ({ parties: [{ organisationId: tz['jas-otan'].id, role: 'signatory' }] }),
      'blueprintLeads.joint_event',
      /needs a lead party/,
    ],
    [
      'a lead for a blueprint the template does not have',
      () => ({ parties: parties(), blueprintLeads: [{ key: 'picnic', leadOrganisationId: tz.kelisim.id }] }),
      'blueprintLeads[0].key',
      /picnic is not a commitment blueprint/,
    ],
    [
      'an organisation twice',
      () => ({ parties: [...parties(), { organisationId: tz.kelisim.id, role: 'observer' }] }),
      'parties[6].organisationId',
      /already a party/,
    ],
    [
      'an organisation that does not exist',
      () => ({ parties: [...parties(), { organisationId: '00000000-0000-4000-8000-000000000000', role: 'observer' }] }),
      'parties[6].organisationId',
      /no such active organisation/,
    ],
    [
      'a yearly research due after the end of the term',
      () => ({ parties: parties(), values: { ...VALUES, endDate: '2022-01-31' } }),
      'commitmentBlueprints.joint_research.dueDate',
      /must not be after the memorandum's end date 2022-01-31/,
    ],
    [
      'a missing placeholder',
      () => ({ parties: parties(), values: { place: 'Тараз', endDate: '2024-09-28' } }),
      'values.signingDate',
      /is missing/,
    ],
  ];

  it.each(refusals)('refuses %s with a 422 naming it and writes nothing', async (_what, body, field, message) => {
    const before = await counts();
    const res = await post(body());
    expect(res.status).toBe(422);
    const error = res.body.errors.find((e: { field: string }) => e.field === field);
    expect(error).toBeDefined();
    expect(error.message).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it('refuses a party organisation id that is not a UUID with a 400 naming the field', async () => {
    const res = await post({ parties: [{ organisationId: 'x', role: 'signatory' }] });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('parties[0].organisationId');
  });
});
