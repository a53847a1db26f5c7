/**
 * What reminders need to know about memoranda and people, as ports: reminders declare them here,
 * the libraries owning the tables implement them (libs/memoranda `MemorandumFactsReader`,
 * libs/identity `UserRecipients`), and the apps bind them (`RemindersModule.register`). The same
 * pattern as TimedTransitions: reminders never read another library's tables.
 */
import { EntityManager } from 'typeorm';

export interface PartyFacts {
  organisationId: string;
  role: 'signatory' | 'witness' | 'observer' | string;
  /** Position in ordered review and sequential signing (1 first). */
  order: number;
  requiredSignatures: number;
  signatoryUserIds: string[];
  name?: string;
}

/** Who must act on a memorandum now: its parties in review, or in signing (of the memorandum or of an amendment). */
export type ActingStage = 'review' | 'signing';

export interface MemorandumFacts {
  id: string;
  title: string;
  /** The memorandum's status, as a label for outcomes ("obsolete:withdrawn"); decisions use `actingStage` and `inForce`. */
  status: string;
  /** Which stage waits for the parties now; null when none does. */
  actingStage: ActingStage | null;
  /** Executed or active (an open amendment included): term notices still matter. */
  inForce: boolean;
  timeZone: string;
  effectiveDate: string | null;
  endDate: string | null;
  coordinatingOrganisationId: string;
  currentRevisionNumber: number;
  /** Parties decide one after another (their turn: every earlier signatory party approved). */
  orderedReview: boolean;
  /** `sequential`: parties sign one after another; `parallel` or null otherwise. */
  signingMode: string | null;
  parties: PartyFacts[];
}

/** The memoranda side of the port, read inside the caller's transaction (`m`). */
export abstract class MemorandumDirectory {
  /** The memorandum and its parties (with the organisations' short names), or null when there is none. */
  abstract facts(m: EntityManager, memorandumId: string): Promise<MemorandumFacts | null>;

  /** `facts` of many memoranda in one statement; absent ones are not in the map. */
  abstract factsMany(m: EntityManager, memorandumIds: string[]): Promise<Map<string, MemorandumFacts>>;

  /**
   * When each party finished the stage of this revision: its approval (review), or the last of its
   * required signatures (signing). Parties not finished are absent.
   */
  abstract finishedParties(
    m: EntityManager,
    memorandumId: string,
    stage: ActingStage,
    revisionNumber: number,
    parties: PartyFacts[],
  ): Promise<Map<string, Date>>;

  /** Users of the organisation who already signed this revision, and whether its required signatures are complete. */
  abstract signatureProgress(
    m: EntityManager,
    memorandumId: string,
    organisationId: string,
    revisionNumber: number | null,
    required: number,
  ): Promise<{ signerUserIds: string[]; complete: boolean }>;

  /** The coordinating organisation, or null when there is no such memorandum. */
  abstract coordinatingOrganisation(m: EntityManager, memorandumId: string): Promise<string | null>;

  /** Supervisors (user ids) whose scope covers this memorandum: global, one of its organisations, or itself. */
  abstract supervisors(m: EntityManager, memorandumId: string): Promise<string[]>;

  /**
   * The memorandum's facts when `reader` may see it by the memoranda's one visibility rule, null
   * otherwise: an invisible memorandum and an absent one answer alike.
   */
  abstract visibleFacts(m: EntityManager, memorandumId: string, reader: Reader): Promise<MemorandumFacts | null>;
}

/** Who reads, as identity's actor carries it: organisation, roles and a supervisor's scopes. */
export interface Reader {
  userId: string;
  organisationId: string;
  roles: string[];
  supervision?: { global: boolean; organisationIds: string[]; memorandumIds: string[] };
}

export interface Recipient {
  id: string;
  email: string;
  language: string;
  /** The user's own zone for quiet hours (null: the memorandum's). */
  timeZone: string | null;
}

/** The identity side: who receives what (docs/reminders.md) — representatives, signatories, supervisors. Active users only. */
export abstract class Recipients {
  abstract withRole(m: EntityManager, role: string, organisationIds?: string[]): Promise<Recipient[]>;
  abstract byIds(m: EntityManager, ids: string[]): Promise<Recipient[]>;
  /** `withRole` for each of many organisations in one statement; organisations without such users are absent. */
  abstract withRoleByOrganisation(
    m: EntityManager,
    role: string,
    organisationIds: string[],
  ): Promise<Map<string, Recipient[]>>;
}
