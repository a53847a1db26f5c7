/**
 * Gathers a memorandum's evidence (EvidenceData) from PostgreSQL in one REPEATABLE READ snapshot,
 * so the texts, decisions and history all reflect the same history head.
 */
import { EntityManager } from 'typeorm';
import { HistoryEvent, HistoryHead } from '@kelisim/history';
import { Organisation, User } from '@kelisim/identity';
import {
  assertRevisionsIntact,
  canonicalBytes,
  canonicalTerms,
  Memorandum,
  MemorandumApproval,
  MemorandumParty,
  MemorandumRevision,
  MemorandumSignature,
} from '@kelisim/memoranda';
import {
  canonicalAttachment,
  EVIDENCE_VERSION,
  EvidenceData,
  EvidenceFile,
  signatureAttachment,
} from './evidence-data';
import { EvidenceCommitments } from './evidence-commitments.port';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function collectEvidence(
  manager: EntityManager,
  memorandumId: string,
  now: Date,
  commitments?: EvidenceCommitments | null,
): Promise<EvidenceData | null> {
  const m = await manager.getRepository(Memorandum).findOneBy({ id: memorandumId });
  const head = await manager.getRepository(HistoryHead).findOneBy({ memorandumId });
  if (!m || !head) return null;
  const number = m.executedRevisionNumber ?? m.currentRevisionNumber;
  const revision = await manager.getRepository(MemorandumRevision).findOneByOrFail({ memorandumId, number });
  // A PDF of an altered text under the hash the parties approved would be evidence of something they did not sign.
  await assertRevisionsIntact(manager, memorandumId, [revision]);
  const parties = await manager
    .getRepository(MemorandumParty)
    .find({ where: { memorandumId }, order: { order: 'ASC', organisationId: 'ASC' } });
  const orgIds = [...new Set([m.coordinatingOrganisationId, ...parties.map((p) => p.organisationId)])];
  const orgs = await manager
    .getRepository(Organisation)
    .createQueryBuilder('o')
    .where('o.id IN (:...ids)', { ids: orgIds })
    .getMany();
  const users = await manager
    .getRepository(User)
    .createQueryBuilder('u')
    .where('u.organisation_id IN (:...ids) AND u.active', { ids: orgIds })
    .orderBy('u.full_name', 'ASC')
    .getMany();
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const org = (id: string) => {
    const o = orgById.get(id);
    return { id, name: o?.name ?? id, shortName: o?.shortName ?? id };
  };
  // By key, not a scan of every user per party and per approval.
  const userById = new Map(users.map((u) => [u.id, u]));
  const usersOf = new Map<string, User[]>();
  for (const u of users) {
    const list = usersOf.get(u.organisationId);
    if (list) list.push(u);
    else usersOf.set(u.organisationId, [u]);
  }
  const approvals = await manager
    .getRepository(MemorandumApproval)
    .find({ where: { memorandumId, revisionNumber: number }, order: { decidedAt: 'ASC', id: 'ASC' } });
  const signatures = await manager
    .getRepository(MemorandumSignature)
    .find({ where: { memorandumId, revisionNumber: number }, order: { recordedAt: 'ASC', slot: 'ASC' } });
  const events = await manager.getRepository(HistoryEvent).find({ where: { memorandumId }, order: { seq: 'ASC' } });
  const partyRoles = new Set(['party_representative', 'signatory']);
  const frozen = commitments ? await commitments.revisionCommitments(manager, memorandumId, number) : [];
  const terms = canonicalTerms({ ...revision, parties: revision.parties ?? parties, commitments: frozen });
  let digitalCount = 0;
  return {
    v: EVIDENCE_VERSION,
    generatedAt: now.toISOString(),
    memorandum: {
      id: m.id,
      title: m.title,
      status: m.status,
      amendmentStatus: m.amendmentStatus,
      version: m.version,
      coordinatingOrganisation: org(m.coordinatingOrganisationId),
      templateId: m.templateId,
      templateVersion: m.templateVersion,
    },
    revision: {
      number,
      kind: revision.kind,
      hash: revision.hash,
      frozenAt: iso(revision.frozenAt),
      terms,
      ...(revision.hash && signatures.some((s) => s.cms) ? { canonicalFile: canonicalAttachment(number) } : {}),
    },
    parties: parties.map((p) => ({
      ...org(p.organisationId),
      role: p.role,
      order: p.order,
      requiredSignatures: p.requiredSignatures,
      representatives: (usersOf.get(p.organisationId) ?? [])
        .filter((u) => u.roles.some((r) => partyRoles.has(r)))
        .map((u) => ({ fullName: u.fullName, roles: u.roles.filter((r) => partyRoles.has(r)) })),
    })),
    approvals: approvals
      .filter((a) => a.decision !== 'comment')
      .map((a) => ({
        organisationId: a.organisationId,
        decision: a.decision,
        revisionNumber: a.revisionNumber,
        revisionHash: a.revisionHash,
        decidedBy: userById.get(a.userId)?.fullName ?? null,
        decidedAt: a.decidedAt.toISOString(),
        comment: a.comment,
      })),
    signatures: signatures.map((s) => ({
      signatureId: s.id,
      organisationId: s.organisationId,
      method: s.method,
      signerName: s.signerName,
      revisionNumber: s.revisionNumber,
      revisionHash: s.revisionHash,
      signedAt: s.signedAt.toISOString(),
      recordedAt: s.recordedAt.toISOString(),
      place: s.place,
      evidenceReference: s.evidenceReference,
      evidenceSha256: s.evidenceSha256,
      ...(s.cms && s.cmsSha256 && s.certificateFingerprint
        ? {
            digital: {
              cmsFile: signatureAttachment(++digitalCount),
              cmsSha256: s.cmsSha256,
              certificate: {
                fingerprint: s.certificateFingerprint,
                subject: s.certificateSubject,
                iin: s.certificateIin,
                bin: s.certificateBin,
              },
            },
          }
        : {}),
    })),
    ...(commitments ? { commitments: await commitments.rows(manager, memorandumId) } : {}),
    history: {
      events: events.map((e) => ({
        id: e.id,
        memorandumId: e.memorandumId,
        seq: e.seq,
        action: e.action,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        actorUserId: e.actorUserId,
        actorName: e.actorName,
        organisationId: e.organisationId,
        revisionNumber: e.revisionNumber,
        revisionHash: e.revisionHash,
        reason: e.reason,
        requestId: e.requestId,
        at: e.at.toISOString(),
        data: e.data,
        prevHash: e.prevHash,
        hash: e.hash,
      })),
      head: { seq: head.lastSeq, hash: head.lastHash },
    },
  };
}

/**
 * The files embedded beside the JSON: the revision's canonical bytes and each digital signature's
 * CMS as the signer sent it, read in the same snapshot as `data` (collectEvidence's).
 */
export async function collectEvidenceFiles(manager: EntityManager, data: EvidenceData): Promise<EvidenceFile[]> {
  const digital = data.signatures.filter((s) => s.digital && s.signatureId);
  if (!digital.length || !data.revision.canonicalFile) return [];
  const rows = await manager
    .getRepository(MemorandumSignature)
    .createQueryBuilder('s')
    .where('s.id IN (:...ids)', { ids: digital.map((s) => s.signatureId) })
    .getMany();
  const cmsById = new Map(rows.map((r) => [r.id, r.cms]));
  const canonical = data.revision.canonicalFile;
  const files: EvidenceFile[] = [
    {
      name: canonical,
      bytes: canonicalBytes(data.revision.terms),
      type: 'application/json',
      description: `The canonical bytes of revision ${data.revision.number}: their SHA-256 is ${data.revision.hash}; each signature-N.p7s signs exactly these bytes`,
    },
  ];
  for (const s of digital) {
    const cms = cmsById.get(s.signatureId!);
    if (!cms) throw new Error(`evidence: the CMS of signature ${s.signatureId} is missing`);
    files.push({
      name: s.digital!.cmsFile,
      bytes: cms,
      type: 'application/pkcs7-signature',
      description:
        `Digital signature (CMS, DER, detached) of ${s.digital!.certificate.subject ?? s.signerName} over ${canonical}. ` +
        `Check: openssl cms -verify -binary -inform DER -in ${s.digital!.cmsFile} -content ${canonical} -CAfile roots.pem -purpose any`,
    });
  }
  return files;
}
