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
  /** A supervisor's scopes (supervision_scopes); absent when unscoped: such a supervisor sees everything. */
  supervision?: { organisationIds: string[]; memorandumIds: string[] };
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}
