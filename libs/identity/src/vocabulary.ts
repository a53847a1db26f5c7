/** The public vocabulary of people and organisations (docs/architecture.md, "Roles and organisations"). */
export enum Role {
  Coordinator = 'coordinator',
  PartyRepresentative = 'party_representative',
  Signatory = 'signatory',
  Supervisor = 'supervisor',
  Admin = 'admin',
}
export const ROLES = Object.values(Role);

export enum Language {
  Kazakh = 'kk',
  Russian = 'ru',
  English = 'en',
}
export const LANGUAGES = Object.values(Language);

export enum OrganisationKind {
  PublicInstitution = 'public_institution',
  GovernmentOffice = 'government_office',
  YouthOrganisation = 'youth_organisation',
  University = 'university',
  Ngo = 'ngo',
  Media = 'media',
  Company = 'company',
  Other = 'other',
}
export const ORGANISATION_KINDS = Object.values(OrganisationKind);
