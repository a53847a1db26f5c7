/** The public vocabulary of the memorandum lifecycle (docs/lifecycle.md). */
export enum MemorandumStatus {
  Draft = 'draft',
  InReview = 'in_review',
  Approved = 'approved',
  Signing = 'signing',
  Executed = 'executed',
  Active = 'active',
  Expired = 'expired',
  Terminated = 'terminated',
  Withdrawn = 'withdrawn',
}
export const MEMORANDUM_STATUSES = Object.values(MemorandumStatus);

/**
 * An amendment runs its own review and signing while the memorandum stays `active` under the
 * executed revision; its progress is the `amendment_status` column (null when none is open).
 */
export enum AmendmentStatus {
  Draft = 'draft',
  InReview = 'in_review',
  Approved = 'approved',
  Signing = 'signing',
}
export const AMENDMENT_STATUSES = Object.values(AmendmentStatus);

export enum PartyRole {
  Signatory = 'signatory',
  Observer = 'observer',
  Witness = 'witness',
}
export const PARTY_ROLES = Object.values(PartyRole);

export enum Decision {
  Approve = 'approve',
  RequestChanges = 'request_changes',
  Decline = 'decline',
  /** Observers, witnesses (and anyone of a party) may comment; a comment decides nothing. */
  Comment = 'comment',
}
export const DECISIONS = Object.values(Decision);

export enum SigningMode {
  Parallel = 'parallel',
  Sequential = 'sequential',
}
export const SIGNING_MODES = Object.values(SigningMode);

export enum SignatureMethod {
  Electronic = 'electronic',
  InPerson = 'in_person',
  /** A CMS signature made with the signer's own key (docs/signatures.md). */
  Digital = 'digital',
}

/** What a memorandum requires of signatures made online: `digital` refuses the electronic method. */
export const SIGNATURE_LEVELS = ['electronic', 'digital'] as const;
export type SignatureLevel = (typeof SIGNATURE_LEVELS)[number];
export const SIGNATURE_METHODS = Object.values(SignatureMethod);

export const MEMORANDUM_LANGUAGES = ['kk', 'ru', 'en'] as const;
export type MemorandumLanguage = (typeof MEMORANDUM_LANGUAGES)[number];
export const DEFAULT_TIME_ZONE = 'Asia/Almaty';
