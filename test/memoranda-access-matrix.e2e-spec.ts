import { Role } from '@kelisim/identity';
import { LifecycleAction, MEMORANDUM_TRANSITIONS, Performer } from '@kelisim/memoranda';
import { createOrganisation, createUser, TestUser } from './support/identity';
import { addPerson, createTaraz, draftTarazMemorandum, footprint, moveClock, Taraz } from './memoranda.fixture';
import { startTestApp, TestApp } from './support/test-app';
import type { Response } from 'supertest';

/**
 * Role × action over every endpoint of the lifecycle and every read of a memorandum's data, on a
 * draft memorandum. Each caller holds one role only. "allow" means the request got past the access
 * checks (any answer but 401/403 or a 404 for the memorandum, commitment or organisation itself: a
 * state or input refusal counts as allowed); "deny" means 403, or 404 because it is not visible to
 * the caller. The bodies are chosen so that an allowed request is refused by state or input and the
 * memorandum does not change. Supervisors: `supervisor` has the global scope (national
 * supervision), `unscoped` none at all, `scopedIn` the scope of a party organisation, `scopedMemo`
 * the scope of this memorandum, `scopedOut` the scope of an unrelated organisation.
 */
type Who =
  | 'coordinator'
  | 'representative'
  | 'signatory'
  | 'supervisor'
  | 'admin'
  | 'outsider'
  | 'unscoped'
  | 'scopedIn'
  | 'scopedMemo'
  | 'scopedOut';
const WHO: Who[] = [
  'coordinator',
  'representative',
  'signatory',
  'supervisor',
  'admin',
  'outsider',
  'unscoped',
  'scopedIn',
  'scopedMemo',
  'scopedOut',
];
/** Cases (caller × request) the file asserts, counted as they run: the matrix's size. */
let matrixCases = 0;

interface Row {
  name: string;
  call: (id: string, u: TestUser) => Promise<Response>;
  allow: Who[];
}

describe('memoranda: role × action matrix over every endpoint (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let tz: Taraz;
  let id: string;
  /** A commitment of the memorandum, led by Jas Otan, for the commitment-level reads. */
  let commitmentId: string;
  const users = {} as Record<Who, TestUser>;

  beforeAll(async () => {
    t = await startTestApp();
    tz = await createTaraz(t);
    await moveClock(t, tz, '2021-09-25T10:00:00+06:00');
    id = await draftTarazMemorandum(t, tz);
    users.coordinator = await addPerson(t, tz, 'kelisim', 'Only Coordinator', [Role.Coordinator]);
    users.representative = await addPerson(t, tz, 'jas-otan', 'Only Representative', [Role.PartyRepresentative]);
    users.signatory = await addPerson(t, tz, 'jas-otan', 'Only Signatory', [Role.Signatory]);
    users.supervisor = await addPerson(t, tz, 'internal-policy', 'Only Supervisor', [Role.Supervisor]);
    users.admin = await addPerson(t, tz, 'internal-policy', 'Only Admin', [Role.Admin]);
    const outsiderOrg = await createOrganisation(t, 'Unrelated organisation');
    users.outsider = await createUser(t, {
      fullName: 'Outsider Everything',
      email: 'all-roles@unrelated.kz',
      organisationId: outsiderOrg.id,
      roles: [Role.Coordinator, Role.PartyRepresentative, Role.Signatory],
    });
    // Keep one signatory party (Jas Otan) with the witness and the observer, so that submit is refused with 422.
    const coordinator = tz.kelisim.people[0];
    for (const key of ['kelisim', 'youth-office', 'zhangyru', 'zhas-ulan']) {
      await t.http().delete(`/memoranda/${id}/parties/${tz[key].id}`).set(coordinator.auth).expect(204);
    }
    const made = await t
      .http()
      .post(`/memoranda/${id}/commitments`)
      .set(coordinator.auth)
      .send({ title: 'Matrix commitment', leadOrganisationId: tz['jas-otan'].id, dueDate: '2022-01-10' })
      .expect(201);
    commitmentId = made.body.id;
    // The supervisors, in an office that is party to nothing, each with the scope its name says.
    const office = await createOrganisation(t, 'Regional oversight office');
    const scope = async (who: Who, body: object | null) => {
      users[who] = await createUser(t, {
        fullName: `Supervisor ${who}`,
        email: `${who.toLowerCase()}@oversight.kz`,
        organisationId: office.id,
        roles: [Role.Supervisor],
      });
      if (body)
        await t
          .http()
          .post('/supervision-scopes')
          .set(users.admin.auth)
          .send({ supervisorUserId: users[who].id, ...body })
          .expect(201);
    };
    await t
      .http()
      .post('/supervision-scopes')
      .set(users.admin.auth)
      .send({ supervisorUserId: users.supervisor.id, kind: 'global' })
      .expect(201);
    await scope('unscoped', null);
    await scope('scopedIn', { kind: 'organisation', organisationId: tz['jas-otan'].id });
    await scope('scopedMemo', { memorandumId: id });
    await scope('scopedOut', { organisationId: outsiderOrg.id });
  });
  afterAll(() => {
    // The matrix's size, for the closing notes: every (caller, request) pair asserted in this file.
    process.stdout.write(`access matrix: ${matrixCases} cases\n`);
    return t?.close();
  });

  const hash = 'c'.repeat(64);
  const ceremony = {
    revisionHash: hash,
    organisationId: '',
    signerName: 'Болатбек Уәли',
    signedAt: '2021-09-28T11:00:00+06:00',
    place: 'Тараз',
    evidence: { reference: 'r', sha256: 'a'.repeat(64) },
  };
  const everyone: Who[] = [
    'coordinator',
    'representative',
    'signatory',
    'supervisor',
    'admin',
    'scopedIn',
    'scopedMemo',
  ];
  const overseers: Who[] = ['supervisor', 'admin', 'scopedIn', 'scopedMemo'];
  const rows: Row[] = [
    { name: 'GET /memoranda/{id}', call: (id, u) => t.http().get(`/memoranda/${id}`).set(u.auth), allow: everyone },
    {
      name: 'PATCH /memoranda/{id} (stale version)',
      call: (id, u) => t.http().patch(`/memoranda/${id}`).set(u.auth).set('If-Match', '1').send({ title: 'x' }),
      allow: ['coordinator'],
    },
    {
      name: 'POST /memoranda/{id}/parties (already a party)',
      call: (id, u) =>
        t
          .http()
          .post(`/memoranda/${id}/parties`)
          .set(u.auth)
          .send({ organisationId: tz['jas-otan'].id, role: 'signatory' }),
      allow: ['coordinator'],
    },
    {
      name: 'DELETE /memoranda/{id}/parties/{org} (not a party)',
      call: (id, u) => t.http().delete(`/memoranda/${id}/parties/${tz['internal-policy'].id}`).set(u.auth),
      allow: ['coordinator'],
    },
    {
      name: 'GET /memoranda/{id}/revisions',
      call: (id, u) => t.http().get(`/memoranda/${id}/revisions`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /memoranda/{id}/revisions/1 (not frozen)',
      call: (id, u) => t.http().get(`/memoranda/${id}/revisions/1`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /memoranda/{id}/revisions/1/diff/2',
      call: (id, u) => t.http().get(`/memoranda/${id}/revisions/1/diff/2`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'POST /memoranda/{id}/submit (too few signatory parties)',
      call: (id, u) => t.http().post(`/memoranda/${id}/submit`).set(u.auth).send({}),
      allow: ['coordinator'],
    },
    {
      name: 'POST /memoranda/{id}/approvals (in draft)',
      call: (id, u) =>
        t.http().post(`/memoranda/${id}/approvals`).set(u.auth).send({ decision: 'approve', revisionHash: hash }),
      allow: ['representative'],
    },
    {
      name: 'GET /memoranda/{id}/approvals',
      call: (id, u) => t.http().get(`/memoranda/${id}/approvals`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'POST /memoranda/{id}/open-signing (in draft)',
      call: (id, u) => t.http().post(`/memoranda/${id}/open-signing`).set(u.auth).send({ mode: 'parallel' }),
      allow: ['coordinator'],
    },
    {
      name: 'POST /memoranda/{id}/signatures electronic (in draft)',
      call: (id, u) =>
        t
          .http()
          .post(`/memoranda/${id}/signatures`)
          .set(u.auth)
          .send({ method: 'electronic', revisionHash: hash, typedName: 'Only Signatory', consent: true }),
      allow: ['signatory'],
    },
    {
      name: 'POST /memoranda/{id}/signatures in_person (in draft)',
      call: (id, u) =>
        t
          .http()
          .post(`/memoranda/${id}/signatures`)
          .set(u.auth)
          .send({ method: 'in_person', ...ceremony, organisationId: tz['jas-otan'].id }),
      allow: ['coordinator'],
    },
    {
      name: 'GET /memoranda/{id}/signatures',
      call: (id, u) => t.http().get(`/memoranda/${id}/signatures`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'POST /memoranda/{id}/withdraw (no reason)',
      call: (id, u) => t.http().post(`/memoranda/${id}/withdraw`).set(u.auth).send({}),
      allow: ['coordinator'],
    },
    {
      name: 'POST /memoranda/{id}/terminate (in draft)',
      call: (id, u) => t.http().post(`/memoranda/${id}/terminate`).set(u.auth).send({ reason: 'r' }),
      allow: ['coordinator'],
    },
    {
      name: 'POST /memoranda/{id}/renew (in draft)',
      call: (id, u) => t.http().post(`/memoranda/${id}/renew`).set(u.auth).send({ endDate: '2030-01-01' }),
      allow: ['coordinator'],
    },
    {
      name: 'POST /memoranda/{id}/amendments (in draft)',
      call: (id, u) => t.http().post(`/memoranda/${id}/amendments`).set(u.auth).send({}),
      allow: ['coordinator'],
    },
    {
      name: 'GET /memoranda/{id}/history',
      call: (id, u) => t.http().get(`/memoranda/${id}/history`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /memoranda/{id}/history/verify',
      call: (id, u) => t.http().get(`/memoranda/${id}/history/verify`).set(u.auth),
      allow: everyone,
    },
    // Every other read of the memorandum's data goes through the same visibility rule.
    {
      name: 'GET /memoranda/{id}/reminder-policies',
      call: (id, u) => t.http().get(`/memoranda/${id}/reminder-policies`).set(u.auth),
      allow: ['coordinator', ...overseers],
    },
    {
      name: 'GET /memoranda/{id}/commitments',
      call: (id, u) => t.http().get(`/memoranda/${id}/commitments`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /memoranda/{id}/amendment/commitments (no amendment)',
      call: (id, u) => t.http().get(`/memoranda/${id}/amendment/commitments`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /memoranda/{id}/commitments.csv',
      call: (id, u) => t.http().get(`/memoranda/${id}/commitments.csv`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /memoranda/{id}/commitments.xlsx',
      call: (id, u) => t.http().get(`/memoranda/${id}/commitments.xlsx`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /memoranda/{id}/calendar.ics',
      call: (id, u) => t.http().get(`/memoranda/${id}/calendar.ics`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /memoranda/{id}/evidence.pdf',
      call: (id, u) => t.http().get(`/memoranda/${id}/evidence.pdf`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /dashboard/memoranda/{id}/timeline',
      call: (id, u) => t.http().get(`/dashboard/memoranda/${id}/timeline`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /commitments/{commitment}',
      call: (_, u) => t.http().get(`/commitments/${commitmentId}`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /commitments/{commitment}/occurrences',
      call: (_, u) => t.http().get(`/commitments/${commitmentId}/occurrences`).set(u.auth),
      allow: everyone,
    },
    {
      name: 'GET /commitments/{commitment}/reports',
      call: (_, u) => t.http().get(`/commitments/${commitmentId}/reports`).set(u.auth),
      allow: everyone,
    },
    // A party's scorecard: its own people, and the supervisors who see a memorandum it is party to.
    {
      name: 'GET /dashboard/organisations/{signatory party}',
      call: (_, u) => t.http().get(`/dashboard/organisations/${tz['jas-otan'].id}`).set(u.auth),
      allow: ['representative', 'signatory', ...overseers],
    },
    {
      name: 'GET /dashboard/organisations/{witness party}',
      call: (_, u) => t.http().get(`/dashboard/organisations/${tz.dulaty.id}`).set(u.auth),
      allow: overseers,
    },
  ];

  function verdict(res: Response): 'allow' | 'deny' {
    expect(res.status).toBeLessThan(500);
    expect(res.status).not.toBe(401);
    if (res.status === 403) return 'deny';
    if (res.status === 404 && /^(Memorandum|Commitment|Organisation) /.test(res.body.message)) return 'deny';
    return 'allow';
  }

  it('answers every (role, endpoint) as the matrix says, and the memorandum does not change', async () => {
    const before = await footprint(t, id);
    const got: Record<string, Record<Who, string>> = {};
    const want: Record<string, Record<Who, string>> = {};
    for (const row of rows) {
      got[row.name] = {} as Record<Who, string>;
      want[row.name] = {} as Record<Who, string>;
      for (const who of WHO) {
        const res = await row.call(id, users[who]);
        got[row.name][who] = `${verdict(res)}`;
        want[row.name][who] = row.allow.includes(who) ? 'allow' : 'deny';
        matrixCases++;
      }
    }
    expect(got).toEqual(want);
    expect(await footprint(t, id)).toEqual(before);
  });

  /**
   * Every action of the transition table × every role × every relation to the memorandum, the
   * expectation derived from the table's performer alone (not from the code under test): a
   * coordinator of the coordinating organisation performs coordinator actions and records ceremony
   * signatures, a representative of a party decides on revisions, a signatory of a party signs
   * electronically; supervisors see but do not act; a non-party organisation does not see it.
   */
  it('generated from the table: every action × role × relation (coordinating, party, non-party, supervisor)', async () => {
    type Relation = 'coordinating' | 'party' | 'non-party' | 'supervisor' | 'unscoped' | 'scoped-in' | 'scoped-out';
    type Acting = 'coordinator' | 'representative' | 'signatory' | 'supervisor';
    const roleOf: Record<Acting, Role> = {
      coordinator: Role.Coordinator,
      representative: Role.PartyRepresentative,
      signatory: Role.Signatory,
      supervisor: Role.Supervisor,
    };
    const outsiders = await createOrganisation(t, 'Matrix non-party');
    const cast: Array<{ relation: Relation; acting: Acting; user: TestUser }> = [
      { relation: 'supervisor', acting: 'supervisor', user: users.supervisor },
      { relation: 'unscoped', acting: 'supervisor', user: users.unscoped },
      { relation: 'scoped-in', acting: 'supervisor', user: users.scopedIn },
      { relation: 'scoped-out', acting: 'supervisor', user: users.scopedOut },
    ];
    for (const acting of ['coordinator', 'representative', 'signatory'] as const) {
      cast.push({
        relation: 'coordinating',
        acting,
        user: await addPerson(t, tz, 'kelisim', `Coordinating ${acting}`, [roleOf[acting]]),
      });
      cast.push({
        relation: 'party',
        acting,
        user: await addPerson(t, tz, 'jas-otan', `Party ${acting}`, [roleOf[acting]]),
      });
      cast.push({
        relation: 'non-party',
        acting,
        user: await createUser(t, {
          fullName: `Non-party ${acting}`,
          email: `${acting}@matrix-non-party.kz`,
          organisationId: outsiders.id,
          roles: [roleOf[acting]],
        }),
      });
    }
    const post = (path: string, body: object) => (u: TestUser) =>
      t.http().post(`/memoranda/${id}${path}`).set(u.auth).send(body);
    const decision = (d: string) => post('/approvals', { decision: d, revisionHash: hash, comment: 'c' });
    const calls: Record<
      LifecycleAction,
      Array<{ variant: string; method?: 'electronic' | 'in_person'; call: (u: TestUser) => Promise<Response> }>
    > = {
      [LifecycleAction.Edit]: [
        {
          variant: 'PATCH (stale version)',
          call: (u) => t.http().patch(`/memoranda/${id}`).set(u.auth).set('If-Match', '1').send({ title: 'x' }),
        },
        {
          variant: 'add party (already a party)',
          call: post('/parties', { organisationId: tz['jas-otan'].id, role: 'signatory' }),
        },
        {
          variant: 'remove party (not a party)',
          call: (u) => t.http().delete(`/memoranda/${id}/parties/${tz['internal-policy'].id}`).set(u.auth),
        },
      ],
      [LifecycleAction.Submit]: [{ variant: '', call: post('/submit', {}) }],
      [LifecycleAction.Approve]: [{ variant: '', call: decision('approve') }],
      [LifecycleAction.RequestChanges]: [{ variant: '', call: decision('request_changes') }],
      [LifecycleAction.Decline]: [{ variant: '', call: decision('decline') }],
      [LifecycleAction.Comment]: [{ variant: '', call: decision('comment') }],
      [LifecycleAction.OpenSigning]: [{ variant: '', call: post('/open-signing', { mode: 'parallel' }) }],
      [LifecycleAction.Sign]: [
        {
          variant: 'electronic',
          method: 'electronic',
          call: post('/signatures', { method: 'electronic', revisionHash: hash, typedName: 'x', consent: true }),
        },
        {
          variant: 'in_person',
          method: 'in_person',
          call: post('/signatures', { method: 'in_person', ...ceremony, organisationId: tz['jas-otan'].id }),
        },
      ],
      [LifecycleAction.Withdraw]: [{ variant: '(no reason)', call: post('/withdraw', {}) }],
      [LifecycleAction.Terminate]: [{ variant: '', call: post('/terminate', { reason: 'r' }) }],
      [LifecycleAction.Renew]: [{ variant: '', call: post('/renew', { endDate: '2030-01-01' }) }],
      [LifecycleAction.Amend]: [{ variant: '', call: post('/amendments', {}) }],
      [LifecycleAction.Activate]: [],
      [LifecycleAction.Expire]: [],
      [LifecycleAction.TerminateOnDate]: [],
    };
    const expected = (
      performer: Performer,
      method: string | undefined,
      acting: Acting,
      relation: Relation,
    ): 'allow' | 'deny' => {
      if (performer === 'coordinator' || (performer === 'signer' && method === 'in_person')) {
        return acting === 'coordinator' && relation === 'coordinating' ? 'allow' : 'deny';
      }
      if (performer === 'party') return acting === 'representative' && relation === 'party' ? 'allow' : 'deny';
      if (performer === 'signer') return acting === 'signatory' && relation === 'party' ? 'allow' : 'deny';
      return 'deny';
    };
    const performers = new Map(MEMORANDUM_TRANSITIONS.map((r) => [r.action, r.performer]));
    const before = await footprint(t, id);
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    let cases = 0;
    for (const [action, performer] of performers) {
      expect(calls[action].length > 0).toBe(performer !== 'timer');
      for (const { variant, method, call } of calls[action]) {
        for (const { relation, acting, user } of cast) {
          const key = `${action} ${variant} by ${acting} of ${relation}`;
          got[key] = verdict(await call(user));
          want[key] = expected(performer, method, acting, relation);
          cases++;
          matrixCases++;
        }
      }
    }
    expect(got).toEqual(want);
    expect(cases).toBe(15 * cast.length);
    expect(await footprint(t, id)).toEqual(before);
  });

  it('creating and listing: coordinators create for their own organisation; lists show only what the caller may see', async () => {
    const create = (u: TestUser, organisationId: string) =>
      t
        .http()
        .post('/memoranda')
        .set(u.auth)
        .send({ title: 'Matrix', purpose: 'p', body: 'b', language: 'en', coordinatingOrganisationId: organisationId });
    const results: Record<Who, number> = {} as Record<Who, number>;
    for (const who of WHO) {
      results[who] = (await create(users[who], tz.kelisim.id)).status;
      matrixCases++;
    }
    expect(results).toEqual({
      coordinator: 201,
      representative: 403,
      signatory: 403,
      supervisor: 403,
      admin: 403,
      outsider: 403,
      unscoped: 403,
      scopedIn: 403,
      scopedMemo: 403,
      scopedOut: 403,
    });

    const seen: Record<Who, number> = {} as Record<Who, number>;
    for (const who of WHO) {
      const res = await t.http().get('/memoranda').set(users[who].auth);
      expect(res.status).toBe(200);
      seen[who] = res.body.total;
      matrixCases++;
    }
    // Two memoranda exist; the party organisation sees only the one it is party to; the outsider none;
    // a supervisor without a scope none; scoped supervisors the one their scope covers.
    expect(seen).toEqual({
      coordinator: 2,
      representative: 1,
      signatory: 1,
      supervisor: 2,
      admin: 2,
      outsider: 0,
      unscoped: 0,
      scopedIn: 1,
      scopedMemo: 1,
      scopedOut: 0,
    });
  });
  it('deny by default: a supervisor without a scope reads nothing; the global scope reads what an admin reads', async () => {
    const read = async (who: Who, path: string) => {
      const res = await t.http().get(path).set(users[who].auth);
      expect(res.status).toBe(200);
      matrixCases++;
      return res.body;
    };
    const reads = ['/memoranda', '/dashboard/overview?withinDays=3650', '/dashboard/commitments'];
    for (const path of reads) expect(await read('supervisor', path)).toEqual(await read('admin', path));
    expect((await read('admin', '/memoranda')).total).toBeGreaterThan(0);
    expect((await read('admin', '/dashboard/commitments')).total).toBeGreaterThan(0);

    expect((await read('unscoped', '/memoranda')).total).toBe(0);
    const overview = await read('unscoped', '/dashboard/overview?withinDays=3650');
    expect(overview.memorandaByState).toEqual([]);
    expect(overview.commitments).toMatchObject({ overdue: 0, dueSoon: 0, byParty: [] });
    expect((await read('unscoped', '/dashboard/commitments')).total).toBe(0);
    for (const path of [`/memoranda/${id}`, `/memoranda/${id}/reminder-policies`, `/commitments/${commitmentId}`]) {
      const res = await t.http().get(path).set(users.unscoped.auth);
      expect(res.status).toBe(404);
      matrixCases++;
    }
  });

  it('a party’s scorecard counts only the memoranda the reader sees', async () => {
    // A second memorandum where Jas Otan leads a commitment too; the memorandum-scoped supervisor does not see it.
    const other = await draftTarazMemorandum(t, tz, { title: 'Matrix: a second memorandum' });
    await t
      .http()
      .post(`/memoranda/${other}/commitments`)
      .set(tz.kelisim.people[0].auth)
      .send({ title: 'Elsewhere', leadOrganisationId: tz['jas-otan'].id, dueDate: '2022-02-10' })
      .expect(201);
    const led: Partial<Record<Who, number | 404>> = {};
    for (const who of [
      'admin',
      'supervisor',
      'representative',
      'scopedIn',
      'scopedMemo',
      'scopedOut',
      'unscoped',
    ] as Who[]) {
      const res = await t.http().get(`/dashboard/organisations/${tz['jas-otan'].id}`).set(users[who].auth);
      led[who] = res.status === 404 ? 404 : res.body.commitmentsLed;
      matrixCases++;
    }
    expect(led).toEqual({
      admin: 2,
      supervisor: 2,
      representative: 2,
      scopedIn: 2,
      scopedMemo: 1,
      scopedOut: 404,
      unscoped: 404,
    });
  });
});
