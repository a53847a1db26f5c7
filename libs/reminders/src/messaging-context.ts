import { EntityManager } from 'typeorm';
import { DeliveriesService } from '@kelisim/notifications';
import { AfterCommit, NewItem } from './after-commit';
import { CommitmentFollowUp } from './commitment-follow-up.port';
import { MemorandumDirectory, Recipients } from './memorandum-directory.port';
import { EffectivePolicy, PolicyKind } from './policies';

/** What sending a due message needs: who is involved, how to deliver, what policy applies, how to schedule what follows. */
export interface MessagingContext {
  directory: MemorandumDirectory;
  recipients: Recipients;
  deliveries: Pick<DeliveriesService, 'notifyUsers' | 'notifyWebhooks'>;
  followUp: CommitmentFollowUp;
  policy(m: EntityManager, memorandumId: string, kind: PolicyKind): Promise<EffectivePolicy>;
  schedule(m: EntityManager, after: AfterCommit, ...items: NewItem[]): Promise<number>;
}
