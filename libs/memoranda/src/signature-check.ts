/**
 * The third entry point of memoranda, `@kelisim/memoranda/signature-check`: reading a digital
 * signature's CMS and certificate as the server reads them (one signer, IIN and BIN from the
 * subject), with no Nest, TypeORM or database behind it. The evidence verifier's worker thread
 * checks the signatures embedded in an evidence PDF with these.
 */
export * from './signatures/certificate-subject';
export * from './signatures/cms-structure';
export * from './signatures/signature-verifier';
export { readTrustAnchors } from './signatures/pkijs-signature-verifier';
