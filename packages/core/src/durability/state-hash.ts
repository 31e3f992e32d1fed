/**
 * A determinism fingerprint of a book's full state: two books with equal
 * hashes hold the same orders in the same queues with the same sequence.
 * Built from the canonical snapshot bytes, so it is engine-agnostic.
 */
import type { Book } from '../book';
import { crc32 } from './crc32';
import { snapshotBook } from './snapshot';

/** FNV-1a (32-bit) — paired with CRC-32 for a 64-bit fingerprint. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/** 16 hex digits identifying the book's full state. */
export function stateHash(book: Book): string {
  const bytes = snapshotBook(book);
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return hex(fnv1a(bytes)) + hex(crc32(bytes));
}
