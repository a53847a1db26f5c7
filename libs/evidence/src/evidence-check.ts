/** One named check of an evidence file and what it found: the verifier's and the seal's common word. */
export interface EvidenceCheck {
  name: string;
  ok: boolean;
  detail: string;
}
