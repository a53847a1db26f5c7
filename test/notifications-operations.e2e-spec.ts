/** /metrics (Prometheus) and the queue dashboard: admins only; the numbers come from the queues and PostgreSQL. */
import { Role } from '@kelisim/identity';
import { createAdmin, createOrganisation, createUser, TestUser } from './support/identity';
import { startTestApp, TestApp } from './support/test-app';

describe.each(['redis', 'postgres'] as const)('operations: metrics and queue dashboard (queue on %s)', (queue) => {
  let t: TestApp;
  let admin: TestUser;
  let coordinator: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ queue, withWorker: true });
    admin = await createAdmin(t);
    const org = await createOrganisation(t, 'Org');
    coordinator = await createUser(t, {
      fullName: 'Coordinator',
      email: 'c@ops.test',
      organisationId: org.id,
      roles: [Role.Coordinator],
    });
  });
  afterAll(() => t?.close());

  it('serves Prometheus metrics to admins: queue depth, outbox backlog, deliveries by channel and status', async () => {
    await t.db
      .query(`INSERT INTO notification_deliveries (idempotency_key, source_type, source_id, topic, channel, status, not_before, content, created_at)
      VALUES ('k1', 'event', '1', 'x', 'webhook', 'failed', now(), '{}', now()), ('k2', 'event', '1', 'x', 'email', 'sent', now(), '{}', now())`);
    expect((await t.http().get('/metrics')).status).toBe(401);
    expect((await t.http().get('/metrics').set(coordinator.auth)).status).toBe(403);
    const res = await t.http().get('/metrics').set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/kelisim_queue_jobs\{queue="delivery",state="failed"\} 0/);
    expect(res.text).toMatch(/kelisim_queue_jobs\{queue="outbox",state="(delayed|waiting|active|completed)"\} [1-9]/);
    expect(res.text).toContain('kelisim_notification_deliveries{channel="webhook",status="failed"} 1');
    expect(res.text).toContain('kelisim_notification_deliveries{channel="email",status="sent"} 1');
    expect(res.text).toMatch(/kelisim_outbox_pending_events \d+/);
  });

  it('shows the queue dashboard to admins only', async () => {
    expect((await t.http().get('/admin/queues')).status).toBe(401);
    expect((await t.http().get('/admin/queues').set(coordinator.auth)).status).toBe(403);
    const page = await t.http().get('/admin/queues').set(admin.auth);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Kelisim queues');
    const api = await t.http().get('/admin/queues/api/queues').set(admin.auth);
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['delivery', 'outbox', 'schedule']);
  });
});
