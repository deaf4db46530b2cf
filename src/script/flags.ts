/**
 * Script verification flags with Bitcoin Core's names and bit positions (script/interpreter.h), so a
 * flags word means the same thing here as in Core's logs and test vectors.
 */
export const ScriptFlags = {
  NONE: 0,
  /** BIP16 pay-to-script-hash. */
  P2SH: 1 << 0,
  /** Strict signature and public key encodings (policy). */
  STRICTENC: 1 << 1,
  /** BIP66 strict DER signatures (consensus since block 363725). */
  DERSIG: 1 << 2,
  /** BIP62 rule 5: S must be in the lower half of the curve order (policy). */
  LOW_S: 1 << 3,
  /** BIP147: the extra CHECKMULTISIG stack element must be empty (consensus with segwit). */
  NULLDUMMY: 1 << 4,
  /** scriptSig must contain only pushes (policy; always enforced for P2SH). */
  SIGPUSHONLY: 1 << 5,
  /** Pushes and numbers must use their shortest encoding (policy). */
  MINIMALDATA: 1 << 6,
  /** Refuse NOP1, NOP4..NOP10 so soft forks can give them meaning (policy). */
  DISCOURAGE_UPGRADABLE_NOPS: 1 << 7,
  /** Exactly one stack element must remain (policy). */
  CLEANSTACK: 1 << 8,
  /** BIP65 OP_CHECKLOCKTIMEVERIFY. */
  CHECKLOCKTIMEVERIFY: 1 << 9,
  /** BIP112 OP_CHECKSEQUENCEVERIFY. */
  CHECKSEQUENCEVERIFY: 1 << 10,
  /** BIP141 segregated witness. */
  WITNESS: 1 << 11,
  /** Refuse unknown witness versions (policy). */
  DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM: 1 << 12,
  /** Segwit v0: OP_IF argument must be empty or exactly 0x01 (policy). */
  MINIMALIF: 1 << 13,
  /** BIP146: a failed signature check must have an empty signature (policy). */
  NULLFAIL: 1 << 14,
  /** Segwit v0: public keys must be compressed (policy). */
  WITNESS_PUBKEYTYPE: 1 << 15,
  /** Legacy scripts: refuse OP_CODESEPARATOR and FindAndDelete matches (policy). */
  CONST_SCRIPTCODE: 1 << 16,
  /** BIP341/342: validate witness v1 32-byte programs (taproot key and script paths). */
  TAPROOT: 1 << 17,
  /** Refuse leaf versions other than 0xc0, reserved for soft forks (policy). */
  DISCOURAGE_UPGRADABLE_TAPROOT_VERSION: 1 << 18,
  /** Refuse tapscript OP_SUCCESSx, reserved for soft forks (policy). */
  DISCOURAGE_OP_SUCCESS: 1 << 19,
  /** Refuse tapscript keys that are neither empty nor 32 bytes, reserved for soft forks (policy). */
  DISCOURAGE_UPGRADABLE_PUBKEYTYPE: 1 << 20,
} as const;

export type ScriptFlagName = Exclude<keyof typeof ScriptFlags, 'NONE'>;

const NAMED = Object.entries(ScriptFlags).filter(([name]) => name !== 'NONE') as [ScriptFlagName, number][];

export class ScriptFlagsError extends Error {
  override readonly name = 'ScriptFlagsError';
}

/** Core's ParseScriptFlags: comma-separated names, "" or "NONE" for none; unknown names throw. */
export function parseScriptFlags(text: string): number {
  let flags = 0;
  if (text === '') return flags;
  for (const word of text.split(',')) {
    if (word === 'NONE') continue;
    if (!Object.hasOwn(ScriptFlags, word)) {
      throw new ScriptFlagsError(`unknown script verification flag: ${word}`);
    }
    flags |= ScriptFlags[word as ScriptFlagName];
  }
  return flags;
}

/** The names of the set flags, in bit order (Core's FormatScriptFlags without the separator). */
export function scriptFlagNames(flags: number): ScriptFlagName[] {
  const names: ScriptFlagName[] = [];
  for (const [name, bit] of NAMED) if (flags & bit) names.push(name);
  return names;
}
