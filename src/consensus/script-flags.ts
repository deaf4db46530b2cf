import { toDisplayHex } from '../encoding/hex.js';
import { ScriptFlags } from '../script/flags.js';
import type { ConsensusParams } from './params.js';

/**
 * Core's GetBlockScriptFlags (validation.cpp): the script verification flags for the block at
 * `height` with hash `blockHash` (internal byte order).
 *
 * This reproduces Core's current behaviour, not the historical activation heights: BIP16 (P2SH) was
 * only enforced from April 2012 and taproot from block 709,632, but only one historical block on
 * mainnet and testnet3 violates P2SH and one on mainnet violates taproot, so Core turns
 * P2SH|WITNESS|TAPROOT on from genesis and names the violating blocks in script_flag_exceptions,
 * whose flags *replace* the default. (WITNESS rules cannot fail before segwit's height: no earlier
 * output is a witness program that anyone spent.) The remaining soft forks are height-gated and are
 * OR-ed on top, exceptions included. NULLDUMMY (BIP147) activated together with segwit.
 */
export function blockScriptFlags(
  height: number,
  blockHash: Uint8Array,
  params: Pick<
    ConsensusParams,
    'scriptFlagExceptions' | 'bip66Height' | 'bip65Height' | 'csvHeight' | 'segwitHeight'
  >,
): number {
  let flags = ScriptFlags.P2SH | ScriptFlags.WITNESS | ScriptFlags.TAPROOT;
  if (params.scriptFlagExceptions.length > 0) {
    const hex = toDisplayHex(blockHash);
    const exception = params.scriptFlagExceptions.find((e) => e.blockHash === hex);
    if (exception !== undefined) {
      flags = ScriptFlags.NONE;
      for (const name of exception.flags) flags |= ScriptFlags[name];
    }
  }
  if (height >= params.bip66Height) flags |= ScriptFlags.DERSIG;
  if (height >= params.bip65Height) flags |= ScriptFlags.CHECKLOCKTIMEVERIFY;
  if (height >= params.csvHeight) flags |= ScriptFlags.CHECKSEQUENCEVERIFY;
  if (height >= params.segwitHeight) flags |= ScriptFlags.NULLDUMMY;
  return flags;
}
