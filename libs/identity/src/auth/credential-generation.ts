/**
 * The rule every credential follows — session and personal tokens here, calendar feed tokens in a
 * library that identity does not know: it records the user's `credential_generation` when it is issued, and
 * opens nothing unless that is still the user's generation and the user and organisation are
 * active. The generation moves in the database when the user is deactivated, their password
 * changes or their organisation is deactivated, so no writer of users can forget to revoke, and
 * reactivation does not resurrect what was issued before.
 */

/** SQL that is true while a credential row `credential` of user `user` (organisation `organisation`) may be used. */
export function credentialIsCurrent(credential: string, user: string, organisation: string): string {
  return `(${user}.active AND ${organisation}.active AND ${credential}.credential_generation = ${user}.credential_generation)`;
}

/** SQL of the time a credential row stopped working because its user's credentials changed; NULL while it is current. */
export function credentialSupersededAt(credential: string, user: string): string {
  return `(CASE WHEN ${credential}.credential_generation <> ${user}.credential_generation THEN ${user}.credentials_changed_at END)`;
}
