/**
 * RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996) in plain JavaScript for short inputs, without
 * allocating: the second half of HASH160, whose input is always one 32-byte SHA-256 digest.
 * node:crypto's one-shot call costs ~1.2 µs of which the 64-byte block is a small part (see
 * sha256-js.ts for the measurements behind routing short inputs here).
 *
 * Cross-checked against node:crypto and @noble/hashes in test/crypto/hash-js.test.ts.
 */

/** Message word index per round, left line then right line. */
const RL = new Uint8Array([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
  3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12, 1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
  4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
]);
const RR = new Uint8Array([
  5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12, 6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
  15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13, 8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
  12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
]);
/** Rotation per round, left line then right line. */
const SL = new Uint8Array([
  11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8, 7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13,
  12, 11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5, 11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6,
  5, 12, 9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
]);
const SR = new Uint8Array([
  8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6, 9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13,
  11, 9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5, 15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5,
  15, 8, 8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
]);

const X = new Int32Array(16);
const S = new Int32Array(5);
const TAIL = new Uint8Array(128);

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/**
 * One compression of S with the 64-byte block at `off`. The five round groups are separate loops
 * so that each inlines its own boolean function (a switch per round measured 0.85 µs per block,
 * this ~0.4 µs).
 */
function compress(data: Uint8Array, off: number): void {
  const x = X;
  // Little-endian words, unlike SHA-256.
  for (let i = 0; i < 16; i++, off += 4) {
    x[i] = data[off]! | (data[off + 1]! << 8) | (data[off + 2]! << 16) | (data[off + 3]! << 24);
  }
  let al = S[0]!;
  let bl = S[1]!;
  let cl = S[2]!;
  let dl = S[3]!;
  let el = S[4]!;
  let ar = al;
  let br = bl;
  let cr = cl;
  let dr = dl;
  let er = el;
  let t = 0;
  // Each step: T = rol_s(A + f(B, C, D) + X[r] + K) + E; A = E; E = D; D = rol_10(C); C = B; B = T.
  // The right line runs the boolean functions in the opposite order.
  for (let i = 0; i < 16; i++) {
    t = (rotl((al + (bl ^ cl ^ dl) + x[RL[i]!]!) | 0, SL[i]!) + el) | 0;
    al = el;
    el = dl;
    dl = rotl(cl, 10);
    cl = bl;
    bl = t;
    t = (rotl((ar + (br ^ (cr | ~dr)) + x[RR[i]!]! + 0x50a28be6) | 0, SR[i]!) + er) | 0;
    ar = er;
    er = dr;
    dr = rotl(cr, 10);
    cr = br;
    br = t;
  }
  for (let i = 16; i < 32; i++) {
    t = (rotl((al + ((bl & cl) | (~bl & dl)) + x[RL[i]!]! + 0x5a827999) | 0, SL[i]!) + el) | 0;
    al = el;
    el = dl;
    dl = rotl(cl, 10);
    cl = bl;
    bl = t;
    t = (rotl((ar + ((br & dr) | (cr & ~dr)) + x[RR[i]!]! + 0x5c4dd124) | 0, SR[i]!) + er) | 0;
    ar = er;
    er = dr;
    dr = rotl(cr, 10);
    cr = br;
    br = t;
  }
  for (let i = 32; i < 48; i++) {
    t = (rotl((al + ((bl | ~cl) ^ dl) + x[RL[i]!]! + 0x6ed9eba1) | 0, SL[i]!) + el) | 0;
    al = el;
    el = dl;
    dl = rotl(cl, 10);
    cl = bl;
    bl = t;
    t = (rotl((ar + ((br | ~cr) ^ dr) + x[RR[i]!]! + 0x6d703ef3) | 0, SR[i]!) + er) | 0;
    ar = er;
    er = dr;
    dr = rotl(cr, 10);
    cr = br;
    br = t;
  }
  for (let i = 48; i < 64; i++) {
    t = (rotl((al + ((bl & dl) | (cl & ~dl)) + x[RL[i]!]! + 0x8f1bbcdc) | 0, SL[i]!) + el) | 0;
    al = el;
    el = dl;
    dl = rotl(cl, 10);
    cl = bl;
    bl = t;
    t = (rotl((ar + ((br & cr) | (~br & dr)) + x[RR[i]!]! + 0x7a6d76e9) | 0, SR[i]!) + er) | 0;
    ar = er;
    er = dr;
    dr = rotl(cr, 10);
    cr = br;
    br = t;
  }
  for (let i = 64; i < 80; i++) {
    t = (rotl((al + (bl ^ (cl | ~dl)) + x[RL[i]!]! + 0xa953fd4e) | 0, SL[i]!) + el) | 0;
    al = el;
    el = dl;
    dl = rotl(cl, 10);
    cl = bl;
    bl = t;
    t = (rotl((ar + (br ^ cr ^ dr) + x[RR[i]!]!) | 0, SR[i]!) + er) | 0;
    ar = er;
    er = dr;
    dr = rotl(cr, 10);
    cr = br;
    br = t;
  }
  t = (S[1]! + cl + dr) | 0;
  S[1] = (S[2]! + dl + er) | 0;
  S[2] = (S[3]! + el + ar) | 0;
  S[3] = (S[4]! + al + br) | 0;
  S[4] = (S[0]! + bl + cr) | 0;
  S[0] = t;
}

/** RIPEMD-160 of `data[start, end)` written little-endian to `out[outOff, outOff + 20)`. */
export function ripemd160Into(
  data: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outOff: number,
): void {
  S[0] = 0x67452301;
  S[1] = 0xefcdab89 | 0;
  S[2] = 0x98badcfe | 0;
  S[3] = 0x10325476;
  S[4] = 0xc3d2e1f0 | 0;
  const length = end - start;
  let off = start;
  for (; end - off >= 64; off += 64) compress(data, off);
  const rest = end - off;
  const tail = TAIL;
  for (let i = 0; i < rest; i++) tail[i] = data[off + i]!;
  tail[rest] = 0x80;
  const blocks = rest < 56 ? 1 : 2;
  const lenAt = blocks * 64 - 8;
  tail.fill(0, rest + 1, lenAt);
  // The 64-bit bit length, little-endian.
  const bitsLow = (length * 8) >>> 0;
  const bitsHigh = Math.floor(length / 0x20000000);
  tail[lenAt] = bitsLow;
  tail[lenAt + 1] = bitsLow >>> 8;
  tail[lenAt + 2] = bitsLow >>> 16;
  tail[lenAt + 3] = bitsLow >>> 24;
  tail[lenAt + 4] = bitsHigh;
  tail[lenAt + 5] = bitsHigh >>> 8;
  tail[lenAt + 6] = bitsHigh >>> 16;
  tail[lenAt + 7] = bitsHigh >>> 24;
  compress(tail, 0);
  if (blocks === 2) compress(tail, 64);
  for (let i = 0; i < 5; i++) {
    const v = S[i]!;
    const o = outOff + 4 * i;
    out[o] = v;
    out[o + 1] = v >>> 8;
    out[o + 2] = v >>> 16;
    out[o + 3] = v >>> 24;
  }
}
