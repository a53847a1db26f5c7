/**
 * The key that seals evidence PDFs. The operator's PKCS#12 (EVIDENCE_SEAL_P12) when given, read
 * at each use so a renewed file is used without a restart; otherwise the installation's own:
 * an ECDSA P-256 key and a self-signed certificate named EVIDENCE_SEAL_NAME, made once, on first
 * start, and kept in `evidence_seal_keys` with the private key sealed by the secrets key. Several
 * API and worker processes starting together make exactly one: the first takes an advisory lock,
 * the others wait on it and read the row it wrote.
 */
import { createHash, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import forge from 'node-forge';
import { DataSource } from 'typeorm';
import { readTrustAnchors } from '@kelisim/memoranda/signature-check';
import { Environment, SecretBox } from '@kelisim/platform';
import { EvidenceSealKey } from './evidence-seal-key.entity';
import { SealIdentity, sealIdentity, SealKey, SealTrust } from './seal';

// Node's WebCrypto is the standard one; the DOM type the library names is not in this project's lib.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const DEFAULT_SEAL_NAME = 'Kelisim evidence seal';
/** pg_advisory_xact_lock key of the seal's creation ('kelisims' in ASCII, as a bigint). */
const SEAL_LOCK = String(0x6b656c6973696d73n);
const SEAL_YEARS = 30;

export interface SealCertificate extends SealIdentity {
  /** `operator`: EVIDENCE_SEAL_P12; `installation`: made by this installation on first start. */
  source: 'operator' | 'installation';
  pem: string;
  notBefore: string;
  notAfter: string;
}

export type ActiveSeal = SealKey & SealCertificate;

const pemOf = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;

function describe(der: Buffer, source: SealCertificate['source']): SealCertificate {
  const cert = new x509.X509Certificate(der);
  return {
    ...sealIdentity(der),
    source,
    pem: pemOf(der),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

/** The key and certificate of a PKCS#12 file (node-forge reads it; RSA keys only). */
export function sealKeyFromP12(p12: Buffer, passphrase: string): ActiveSeal {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
  const store = forge.pkcs12.pkcs12FromAsn1(asn1, passphrase);
  const keyBag =
    store.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0] ??
    store.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag]?.[0];
  const certs = store.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  if (!keyBag?.key || !certs.length || !certs[0].cert) throw new Error('the PKCS#12 file holds no key and certificate');
  // The certificates' DER as stored (forge keeps the parsed TBSCertificate's bytes).
  const ders = certs.map((b) =>
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(b.cert!)).getBytes(), 'binary'),
  );
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  const publicPem = forge.pki.publicKeyToPem(forge.pki.setRsaPublicKey(keyBag.key.n, keyBag.key.e));
  // The certificate of the key: the one whose public key it is (a chain may come first).
  const index = certs.findIndex((b) => forge.pki.publicKeyToPem(b.cert!.publicKey) === publicPem);
  const at = index < 0 ? 0 : index;
  return {
    privateKey,
    certificate: ders[at],
    chain: ders.filter((_, i) => i !== at),
    ...describe(ders[at], 'operator'),
  };
}

/** A new ECDSA P-256 key and self-signed certificate named `name`. */
export async function makeSealKey(name: string, now: Date): Promise<{ pkcs8: Buffer; certificate: Buffer }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    // Positive, 16 bytes of randomness.
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name: [{ CN: [name] }],
    notBefore: now,
    notAfter: new Date(now.getTime() + SEAL_YEARS * 365.25 * 86_400_000),
    signingAlgorithm: algorithm,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { pkcs8, certificate: Buffer.from(cert.rawData) };
}

@Injectable()
export class EvidenceSeal implements OnApplicationBootstrap {
  private readonly logger = new Logger('EvidenceSeal');
  private installation?: Promise<ActiveSeal>;
  private operator?: { digest: string; seal: ActiveSeal };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: ConfigService<Environment, true>,
    private readonly box: SecretBox,
  ) {}

  /** On first start the installation makes its seal, so that every process finds it ready. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('EVIDENCE_SEAL_P12', { infer: true })) return;
    try {
      await this.installationSeal();
    } catch (e) {
      // Made again when the first PDF is sealed; the service starts meanwhile.
      this.installation = undefined;
      this.logger.error(`the evidence seal could not be made or read: ${(e as Error).message}`);
    }
  }

  /** The key that seals new PDFs. */
  async key(): Promise<ActiveSeal> {
    const path = this.config.get('EVIDENCE_SEAL_P12', { infer: true });
    if (!path) return this.installationSeal();
    const bytes = readFileSync(path);
    // Decrypting a PKCS#12 takes tens of milliseconds on the event loop: once per file content.
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (this.operator?.digest !== digest)
      this.operator = {
        digest,
        seal: sealKeyFromP12(bytes, this.config.get('EVIDENCE_SEAL_PASSPHRASE', { infer: true }) ?? ''),
      };
    return this.operator.seal;
  }

  /** The certificate that seals new PDFs (public: served at GET /evidence/seal-certificate). */
  async certificate(): Promise<SealCertificate> {
    const { pem, fingerprint, subject, source, notBefore, notAfter } = await this.key();
    return { pem, fingerprint, subject, source, notBefore, notAfter };
  }

  /**
   * The seals this server vouches for when it verifies a file: the one in use, and the
   * installation's own when an operator's key replaced it (files sealed before stay valid).
   */
  async trustedFingerprints(): Promise<string[]> {
    const rows = await this.db.getRepository(EvidenceSealKey).find({ select: { fingerprint: true } });
    const own = rows.map((r) => r.fingerprint);
    try {
      return [...new Set([...own, (await this.key()).fingerprint])];
    } catch (e) {
      this.logger.error(`the evidence seal cannot be read: ${(e as Error).message}`);
      return own;
    }
  }

  /**
   * What POST /evidence/verify trusts: the seals above, and the signatories' CAs the server itself
   * trusts (SIGNATURE_TRUST_ANCHORS, read each time) for the digital signatures embedded in a file.
   */
  async verificationTrust(): Promise<SealTrust> {
    let signerAnchors: Buffer[] = [];
    try {
      signerAnchors = readTrustAnchors(this.config.get('SIGNATURE_TRUST_ANCHORS', { infer: true }) ?? undefined);
    } catch (e) {
      this.logger.error(`SIGNATURE_TRUST_ANCHORS cannot be read: ${(e as Error).message}`);
    }
    return { fingerprints: await this.trustedFingerprints(), signerAnchors };
  }

  private installationSeal(): Promise<ActiveSeal> {
    this.installation ??= this.loadOrCreate().catch((e: unknown) => {
      this.installation = undefined;
      throw e;
    });
    return this.installation;
  }

  private async loadOrCreate(): Promise<ActiveSeal> {
    const repo = this.db.getRepository(EvidenceSealKey);
    let row = await repo.findOneBy({ id: 1 });
    if (!row) {
      const name = this.config.get('EVIDENCE_SEAL_NAME', { infer: true }) || DEFAULT_SEAL_NAME;
      row = await this.db.transaction(async (m) => {
        await m.query(`SELECT pg_advisory_xact_lock(${SEAL_LOCK})`);
        const made = await m.getRepository(EvidenceSealKey).findOneBy({ id: 1 });
        if (made) return made;
        const now = new Date();
        const { pkcs8, certificate } = await makeSealKey(name, now);
        const identity = sealIdentity(certificate);
        const created = m.getRepository(EvidenceSealKey).create({
          id: 1,
          subject: identity.subject,
          certificate: pemOf(certificate),
          fingerprint: identity.fingerprint,
          privateKey: this.box.seal(pkcs8.toString('base64')),
          createdAt: now,
        });
        await m.getRepository(EvidenceSealKey).insert(created);
        this.logger.log(`made the evidence seal "${identity.subject}", certificate SHA-256 ${identity.fingerprint}`);
        return created;
      });
    }
    const der = Buffer.from(row.certificate.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64');
    const privateKey = createPrivateKey({
      key: Buffer.from(this.box.open(row.privateKey), 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    return { privateKey, certificate: der, chain: [], ...describe(der, 'installation') };
  }
}
