/**
 * Evidence bytes in PostgreSQL (every API replica serves them; a report's files are written in
 * its transaction, so a failed upload leaves nothing), in rows of EVIDENCE_CHUNK_BYTES: a file
 * is copied from its upload on disk one chunk at a time and read back the same way, so neither
 * holds more than a chunk of it in memory.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { EntityManager } from 'typeorm';

export const EVIDENCE_CHUNK_BYTES = 512 * 1024;

/**
 * Stores the file at `path` as blob `sha256` unless that blob exists (content-addressed). The
 * bytes are hashed again as they are copied: what is stored is what the hash names.
 */
export async function storeBlob(
  m: EntityManager,
  blob: { sha256: string; size: number; path: string; createdAt: Date },
): Promise<void> {
  const inserted: unknown[] = await m.query(
    `INSERT INTO evidence_blobs (sha256, size, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
    [blob.sha256, blob.size, blob.createdAt],
  );
  if (!inserted.length) return;
  const hash = createHash('sha256');
  const file = await open(blob.path, 'r');
  let size = 0;
  try {
    for (let seq = 0; ; seq++) {
      const buffer = Buffer.allocUnsafe(EVIDENCE_CHUNK_BYTES);
      const { bytesRead } = await file.read(buffer, 0, EVIDENCE_CHUNK_BYTES, null);
      if (!bytesRead) break;
      const bytes = buffer.subarray(0, bytesRead);
      hash.update(bytes);
      size += bytesRead;
      await m.query(`INSERT INTO evidence_blob_chunks (sha256, seq, bytes) VALUES ($1, $2, $3)`, [
        blob.sha256,
        seq,
        bytes,
      ]);
    }
  } finally {
    await file.close();
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== blob.sha256 || size !== blob.size)
    throw new Error(`evidence upload ${blob.path} changed on disk: ${size} bytes, SHA-256 ${sha256}`);
}

/** The blob's bytes, one chunk at a time. */
export async function* readBlob(m: EntityManager, sha256: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const [row]: Array<{ bytes: Buffer }> = await m.query(
      `SELECT bytes FROM evidence_blob_chunks WHERE sha256 = $1 AND seq = $2`,
      [sha256, seq],
    );
    if (!row) return;
    yield row.bytes;
  }
}
