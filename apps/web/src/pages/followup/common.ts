/** What the follow-up pages share: queries, evidence-file checks, sizes, the commitment's people. */
import { useQuery } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../../api/client';

export type Commitment = Schemas['Commitment'];
export type Occurrence = Schemas['Occurrence'];
export type ActivityReport = Schemas['ActivityReport'];
export type CommitmentStatus = Commitment['status'];

/** The server's defaults (EVIDENCE_MAX_FILE_BYTES, EVIDENCE_CONTENT_TYPES): checked before upload, enforced by the API. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const EVIDENCE_MAX_FILES = 20;
export const EVIDENCE_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/pdf',
  'text/csv',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];
export const EVIDENCE_ACCEPT = [
  ...EVIDENCE_TYPES,
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.pdf',
  '.csv',
  '.txt',
  '.docx',
  '.xlsx',
].join(',');

/** Browsers leave some types empty (CSV on some systems): the extension then tells. */
const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  pdf: 'application/pdf',
  csv: 'text/csv',
  txt: 'text/plain',
  docx: EVIDENCE_TYPES[6],
  xlsx: EVIDENCE_TYPES[7],
};
export function evidenceType(file: File): string {
  return file.type || BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''] || 'application/octet-stream';
}

export type FileProblem = { kind: 'size' | 'type'; name: string; type: string } | { kind: 'count' };
export function checkEvidence(files: File[]): FileProblem[] {
  const problems: FileProblem[] = [];
  if (files.length > EVIDENCE_MAX_FILES) problems.push({ kind: 'count' });
  for (const f of files) {
    if (f.size > EVIDENCE_MAX_BYTES) problems.push({ kind: 'size', name: f.name, type: evidenceType(f) });
    if (!EVIDENCE_TYPES.includes(evidenceType(f))) problems.push({ kind: 'type', name: f.name, type: evidenceType(f) });
  }
  return problems;
}

export function formatBytes(n: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: i ? 1 : 0 }).format(v)} ${units[i]}`;
}

export function responsible(c: Pick<Commitment, 'leadOrganisationId' | 'organisationIds'>): string[] {
  return [c.leadOrganisationId, ...c.organisationIds.filter((o) => o !== c.leadOrganisationId)];
}

export function useCommitments(memorandumId: string) {
  return useQuery({
    queryKey: ['memoranda', memorandumId, 'commitments'],
    queryFn: () =>
      unwrap(
        api.GET('/memoranda/{id}/commitments', { params: { path: { id: memorandumId }, query: { pageSize: 100 } } }),
      ),
  });
}

export function useReports(commitmentId: string, enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: ['commitments', commitmentId, 'reports'],
    queryFn: () =>
      unwrap(
        api.GET('/commitments/{id}/reports', { params: { path: { id: commitmentId }, query: { pageSize: 100 } } }),
      ),
  });
}

/** Today in the user's time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}
