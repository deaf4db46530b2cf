/**
 * Which signature-hash and script rules apply (Core's SigVersion): legacy (BASE), BIP143 segwit v0,
 * the BIP341 key path (TAPROOT, which runs no script) and BIP342 leaf scripts (TAPSCRIPT).
 */
export const SigVersion = {
  BASE: 0,
  WITNESS_V0: 1,
  TAPROOT: 2,
  TAPSCRIPT: 3,
} as const;

export type SigVersion = (typeof SigVersion)[keyof typeof SigVersion];
