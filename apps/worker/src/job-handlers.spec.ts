import { JobName, QueueName } from '@kelisim/platform';
import { HandlerTable, verifyHandlerTables } from './job-handlers';

const h = async () => 'ok';

describe('job handler tables', () => {
  const complete = [
    { queue: QueueName.Outbox, handlers: { [JobName.DispatchOutbox]: h } as HandlerTable },
    { queue: QueueName.Schedule, handlers: { [JobName.Reconcile]: h, [JobName.FireScheduledItem]: h } as HandlerTable },
    {
      queue: QueueName.Delivery,
      handlers: { [JobName.DeliverEmail]: h, [JobName.DeliverWebhook]: h, [JobName.SendDigests]: h } as HandlerTable,
    },
    { queue: QueueName.Evidence, handlers: { [JobName.RenderEvidence]: h } as HandlerTable },
  ];

  it('accepts one handler per job name on its queue', () => {
    expect(() => verifyHandlerTables(complete)).not.toThrow();
  });

  it('refuses a missing, doubled or misplaced handler', () => {
    expect(() => verifyHandlerTables(complete.slice(0, 2))).toThrow(/delivery.email has no handler/);
    const doubled = [
      ...complete,
      { queue: QueueName.Outbox, handlers: { [JobName.FireScheduledItem]: h } as HandlerTable },
    ];
    expect(() => verifyHandlerTables(doubled)).toThrow(/schedule.fire has 2 handlers/);
    const misplaced = [
      { ...complete[0], handlers: { ...complete[0].handlers, [JobName.Reconcile]: h } },
      { ...complete[1], handlers: { [JobName.FireScheduledItem]: h } },
      complete[2],
      complete[3],
    ];
    expect(() => verifyHandlerTables(misplaced)).toThrow(/schedule.reconcile is handled on outbox/);
  });
});
