/**
 * The second entry point of memoranda, `@kelisim/memoranda/revision-hash`: how a revision's terms
 * are canonicalised and hashed, with no Nest, TypeORM or database behind it. The evidence
 * verifier's worker thread loads only this, not the whole library.
 */
export * from './revisions/canonical';
export * from './revisions/canonical-commitments';
