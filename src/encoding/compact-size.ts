/**
 * CompactSize ("varint" in Bitcoin Core's serialize.h): 1, 3, 5 or 9 bytes. Decoding insists on the
 * canonical (shortest) form, as Core's ReadCompactSize does, because a non-canonical length would
 * give one transaction two serializations and two hashes.
 */
export const MAX_SIZE = 0x02000000; // Core's MAX_SIZE: no length prefix may claim more than 32 MiB.

export function compactSizeLength(n: number): number {
  if (n < 0xfd) return 1;
  if (n <= 0xffff) return 3;
  if (n <= 0xffffffff) return 5;
  return 9;
}
