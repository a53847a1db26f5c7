import type { NotificationDelivery } from './delivery.entity';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signing';
import { postWebhook, refuseTarget, TargetRefusedError } from './webhook-target';
import type { Webhook } from './webhook.entity';

/** A failure that retrying cannot fix (no SMTP configured, refused target). */
export class PermanentDeliveryError extends Error {}

export interface AttemptLog {
  webhookId: string;
  attempt: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export type PostResult =
  | { kind: 'sent'; log: AttemptLog }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; permanent: boolean; error: Error; log: AttemptLog };

/** One webhook attempt, nothing written: sent (with its log line), skipped (webhook deleted), or failed. */
export async function attemptWebhook(
  d: NotificationDelivery,
  hook: Pick<Webhook, 'id' | 'url' | 'secret' | 'active' | 'deletedAt'> | null,
  attempt: number,
  o: {
    allowPrivate: boolean;
    timeoutMs: number;
    now: Date;
    openSecret(secret: string): string;
    /** `refuseTarget` of the hook's URL, when the caller asks it once for many attempts to the same URL. */
    refuse?(url: string): Promise<string | null>;
  },
): Promise<PostResult> {
  if (!hook || !hook.active || hook.deletedAt) return { kind: 'skipped', reason: 'webhook deleted' };
  const body = JSON.stringify({
    id: d.id,
    event: d.topic,
    memorandumId: d.memorandumId,
    createdAt: d.createdAt.toISOString(),
    data: d.content,
  });
  const timestamp = Math.floor(o.now.getTime() / 1000);
  const started = Date.now();
  const log = (ok: boolean, statusCode: number | null, error: string | null): AttemptLog => ({
    webhookId: hook.id,
    attempt,
    ok,
    statusCode,
    error,
    durationMs: Date.now() - started,
  });
  // What the log says is only "refused" or "failed": the reason would make it a port scanner.
  if (await (o.refuse ? o.refuse(hook.url) : refuseTarget(hook.url, o.allowPrivate))) {
    return {
      kind: 'failed',
      permanent: true,
      error: new PermanentDeliveryError('refused'),
      log: log(false, null, 'refused'),
    };
  }
  let status: number;
  try {
    status = await postWebhook({
      url: hook.url,
      body,
      timeoutMs: o.timeoutMs,
      allowPrivate: o.allowPrivate,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Kelisim-Webhooks/1',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(o.openSecret(hook.secret), timestamp, body),
        [DELIVERY_HEADER]: d.id,
        [EVENT_HEADER]: d.topic,
      },
    });
  } catch (e) {
    const refused = e instanceof TargetRefusedError;
    return {
      kind: 'failed',
      permanent: refused,
      error: refused ? new PermanentDeliveryError('refused') : new Error('failed'),
      log: log(false, null, refused ? 'refused' : 'failed'),
    };
  }
  if (status < 200 || status >= 300)
    return {
      kind: 'failed',
      permanent: false,
      error: new Error(`webhook answered HTTP ${status}`),
      log: log(false, status, `HTTP ${status}`),
    };
  return { kind: 'sent', log: log(true, status, null) };
}
