import { Language, Role } from '../vocabulary';

/** Who is making a request: the authenticated user, their organisation and roles. */
export interface Actor {
  userId: string;
  organisationId: string;
  roles: Role[];
  fullName: string;
  email: string;
  language: Language;
  tokenId: string;
  /** An admin reset the password: the session may only change it (AccessGuard). */
  mustChangePassword?: boolean;
  /**
   * A supervisor's scopes (supervision_scopes). Absent for a supervisor without any scope, who
   * supervises nothing: only a `global` scope opens every memorandum.
   */
  supervision?: Supervision;
}

export interface Supervision {
  /** A `global` scope: every memorandum (national supervision). */
  global: boolean;
  organisationIds: string[];
  memorandumIds: string[];
}

export function hasRole(actor: { roles: readonly string[] }, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}
