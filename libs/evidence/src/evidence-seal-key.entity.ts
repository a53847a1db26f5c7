import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The installation's own evidence seal, made on first start when no EVIDENCE_SEAL_P12 is given:
 * one row (id 1), its private key sealed with the secrets key (SecretBox), so a copy of the
 * database alone cannot seal.
 */
@Entity('evidence_seal_keys')
@Check('evidence_seal_keys_one', '"id" = 1')
export class EvidenceSealKey {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'evidence_seal_keys_pkey' })
  id: number;

  /** The certificate's subject common name (EVIDENCE_SEAL_NAME when it was made). */
  @Column({ type: 'text' })
  subject: string;

  /** The self-signed certificate, PEM. */
  @Column({ type: 'text' })
  certificate: string;

  /** SHA-256 of the certificate (DER), hex: what verifiers compare. */
  @Column({ type: 'char', length: 64 })
  fingerprint: string;

  /** The PKCS#8 private key (DER, base64), sealed with SecretBox. */
  @Column({ type: 'text' })
  privateKey: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
