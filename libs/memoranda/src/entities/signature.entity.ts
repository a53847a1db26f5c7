import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organisation } from '@kelisim/identity';
import { SignatureMethod } from '../vocabulary';
import { Memorandum } from './memorandum.entity';

/**
 * A signature for a party on one frozen revision. `signer_key` (user id, or folded name for a
 * ceremony signature) is unique per party and revision; `slot` numbers a party's signatures and
 * cannot exceed the party's required signatures, so the database itself refuses an extra one.
 */
@Entity('memorandum_signatures')
@Index('memorandum_signatures_one_per_signer', ['memorandumId', 'revisionNumber', 'organisationId', 'signerKey'], {
  unique: true,
})
@Index('memorandum_signatures_slot_unique', ['memorandumId', 'revisionNumber', 'organisationId', 'slot'], {
  unique: true,
})
@Check('memorandum_signatures_method_check', `"method" IN ('electronic', 'in_person', 'digital')`)
@Check('memorandum_signatures_slot_check', `"slot" BETWEEN 1 AND "required_signatures"`)
@Check(
  'memorandum_signatures_electronic_check',
  `"method" <> 'electronic' OR ("signer_user_id" IS NOT NULL AND "typed_name" IS NOT NULL AND "consent" = true)`,
)
@Check(
  'memorandum_signatures_in_person_check',
  `"method" <> 'in_person' OR ("place" IS NOT NULL AND "evidence_reference" IS NOT NULL AND "evidence_sha256" IS NOT NULL)`,
)
@Check(
  'memorandum_signatures_digital_check',
  `"method" <> 'digital' OR ("signer_user_id" IS NOT NULL AND "cms" IS NOT NULL AND "cms_sha256" IS NOT NULL AND "certificate_fingerprint" IS NOT NULL)`,
)
@Check(
  'memorandum_signatures_timestamp_check',
  `("timestamp_token" IS NULL) = ("timestamp_gen_time" IS NULL) AND ("timestamp_token" IS NULL OR "method" = 'digital')`,
)
export class MemorandumSignature {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  memorandumId: string;

  @ManyToOne(() => Memorandum, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memorandum_id' })
  memorandum?: Memorandum;

  @Column({ type: 'integer' })
  revisionNumber: number;

  @Column({ type: 'char', length: 64 })
  revisionHash: string;

  @Column({ type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 16 })
  method: SignatureMethod;

  @Column({ type: 'integer' })
  slot: number;

  @Column({ type: 'integer' })
  requiredSignatures: number;

  @Column({ type: 'varchar', length: 300 })
  signerKey: string;

  @Column({ type: 'uuid', nullable: true })
  signerUserId: string | null;

  @Column({ type: 'varchar', length: 200 })
  signerName: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  typedName: string | null;

  @Column({ type: 'boolean', nullable: true })
  consent: boolean | null;

  @Column({ type: 'timestamptz' })
  signedAt: Date;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;

  @Column({ type: 'uuid' })
  recordedByUserId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ipAddress: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  place: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  evidenceReference: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  evidenceSha256: string | null;

  /** Digital: the DER CMS SignedData as the signer sent it (detached over the revision's canonical bytes). */
  @Column({ type: 'bytea', nullable: true })
  cms: Buffer | null;

  @Column({ type: 'char', length: 64, nullable: true })
  cmsSha256: string | null;

  /** Digital: SHA-256 of the signer's DER certificate, and what it says (docs/signatures.md). */
  @Column({ type: 'char', length: 64, nullable: true })
  certificateFingerprint: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  certificateSubject: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  certificateIssuer: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  certificateSerial: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  certificateIin: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  certificateBin: string | null;

  /**
   * Digital, with SIGNATURE_TSA_URL: the RFC 3161 TimeStampToken (DER ContentInfo) over the signature
   * value, also embedded in `cms` as id-aa-signatureTimeStampToken; and its genTime.
   */
  @Column({ type: 'bytea', nullable: true })
  timestampToken: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  timestampGenTime: Date | null;
}
