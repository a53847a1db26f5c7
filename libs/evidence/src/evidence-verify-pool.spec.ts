import type { ConfigService } from '@nestjs/config';
import type { Environment } from '@kelisim/platform';
import { costlyEvidence, pdfWithAttachment } from '../../../test/support/hostile-evidence';
import { EvidenceVerifyPool } from './evidence-verify-pool';

const pool = (settings: Partial<Environment>) =>
  new EvidenceVerifyPool({
    get: (key: keyof Environment) => settings[key],
  } as unknown as ConfigService<Environment, true>);

describe('the evidence verification threads', () => {
  it('run one verification per thread, queue four per thread, and refuse the next at once (503 with Retry-After)', async () => {
    const p = pool({ EVIDENCE_VERIFY_THREADS: 1, EVIDENCE_VERIFY_TIMEOUT_MS: 120_000 });
    try {
      const answers = await Promise.allSettled(
        Array.from({ length: 6 }, () => p.verify(pdfWithAttachment(costlyEvidence(10, 100)))),
      );
      const refused = answers.filter((a) => a.status === 'rejected');
      expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(5);
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
        code: 'evidence_verification_busy',
        details: { retryAfterSeconds: 2 },
      });
      expect((refused[0] as PromiseRejectedResult).reason.getStatus()).toBe(503);
      for (const a of answers)
        if (a.status === 'fulfilled') expect(a.value.checks.map((c) => c.name)).toContain('approvals');
    } finally {
      await p.onModuleDestroy();
    }
  });

  it('stop a verification past the budget (503), and start a new thread for the next one', async () => {
    const p = pool({ EVIDENCE_VERIFY_THREADS: 1, EVIDENCE_VERIFY_TIMEOUT_MS: 1 });
    try {
      await expect(p.verify(pdfWithAttachment(costlyEvidence(5000, 40_000)))).rejects.toMatchObject({
        code: 'evidence_verification_timeout',
        details: { timeoutMs: 1 },
      });
      await expect(p.verify(pdfWithAttachment(costlyEvidence(5000, 40_000)))).rejects.toMatchObject({
        code: 'evidence_verification_timeout',
      });
    } finally {
      await p.onModuleDestroy();
    }
  });
});
