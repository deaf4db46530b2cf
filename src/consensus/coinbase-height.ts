import type { Block } from '../primitives/block.js';
import { parseScript } from '../script/script.js';
import { decodeScriptNum } from '../script/script-num.js';

/**
 * The height a block's coinbase claims under BIP34 (its scriptSig starts with the height), or null when
 * it claims none. Only version-2+ blocks carry it: version-1 coinbases start with arbitrary pushes
 * (block 1's begins with the bits, 0x1d00ffff), so reading one would give a wrong height.
 */
export function coinbaseHeight(block: Block): number | null {
  if (block.header.version < 2) return null;
  const scriptSig = block.txs[0]?.inputs[0]?.scriptSig;
  if (scriptSig === undefined || scriptSig.length === 0) return null;
  const first = parseScript(scriptSig)[0];
  if (first === undefined || first.truncated) return null;
  if (first.op === 0) return 0;
  if (first.op >= 0x51 && first.op <= 0x60) return first.op - 0x50;
  if (first.data === undefined || first.data.length > 5) return null;
  const n = decodeScriptNum(first.data, false, 5);
  return typeof n === 'number' && n >= 0 ? n : null;
}
