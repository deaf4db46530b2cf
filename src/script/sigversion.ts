/**
 * Which signature-hash and script rules apply (Core's SigVersion): legacy (BASE) and BIP143 segwit v0
 * today; BIP341 key-path (TAPROOT) and BIP342 script-path (TAPSCRIPT) are reserved for later.
 */
export const SigVersion = {
  BASE: 0,
  WITNESS_V0: 1,
  TAPROOT: 2,
  TAPSCRIPT: 3,
} as const;

export type SigVersion = (typeof SigVersion)[keyof typeof SigVersion];
