import { MemorandumApproval } from './approval.entity';
import { Memorandum } from './memorandum.entity';
import { MemorandumParty } from './party.entity';
import { MemorandumRevision } from './revision.entity';
import { MemorandumSignature } from './signature.entity';

export { Memorandum, MemorandumRevision, MemorandumParty, MemorandumApproval, MemorandumSignature };
export const MEMORANDA_ENTITIES = [
  Memorandum,
  MemorandumRevision,
  MemorandumParty,
  MemorandumApproval,
  MemorandumSignature,
];
