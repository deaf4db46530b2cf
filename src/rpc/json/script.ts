import { hash160 } from '../../crypto/hash.js';
import { addressFromScript, type AddressPrefixes } from '../../script/address.js';
import { Op } from '../../script/opcodes.js';
import { isUnspendable, ScriptCursor } from '../../script/script.js';
import { classifyScript, p2shOfScript, p2wpkh, p2wshOfScript } from '../../script/templates.js';
import { hasValidOps } from '../tx-decode.js';
import { scriptPubKeyJson } from './transaction.js';

/**
 * Opcodes that BIP342 makes OP_SUCCESSx in tapscript (Core's IsOpSuccess) and that are still defined
 * in legacy script: decodescript offers no P2SH/P2WSH wrapping for scripts using them.
 */
function isOpSuccess(op: number): boolean {
  return (
    op === 80 ||
    op === 98 ||
    (op >= 126 && op <= 129) ||
    (op >= 131 && op <= 134) ||
    (op >= 137 && op <= 138) ||
    (op >= 141 && op <= 142) ||
    (op >= 149 && op <= 153) ||
    (op >= 187 && op <= 254)
  );
}

/** decodescript's can_wrap: a script one could sensibly put behind P2SH. */
function canWrap(script: Uint8Array, type: string): boolean {
  if (
    ![
      'multisig',
      'nonstandard',
      'pubkey',
      'pubkeyhash',
      'witness_v0_keyhash',
      'witness_v0_scripthash',
    ].includes(type)
  ) {
    return false;
  }
  if (!hasValidOps(script) || isUnspendable(script)) return false;
  const c = new ScriptCursor(script);
  while (c.next()) if (c.op === Op.OP_CHECKSIGADD || isOpSuccess(c.op)) return false;
  return true;
}

/**
 * bitcoind's decodescript result: the script's asm, desc, address and type; the P2SH address that
 * would wrap it; and, where segwit could carry it, the P2WPKH/P2WSH output with its own P2SH
 * wrapping (`p2sh-segwit`). Uncompressed keys rule segwit out (BIP143 policy).
 */
export function decodeScriptJson(script: Uint8Array, prefixes: AddressPrefixes): Record<string, unknown> {
  const json: Record<string, unknown> = { ...scriptPubKeyJson(script, prefixes, { includeHex: false }) };
  const solved = classifyScript(script);
  if (!canWrap(script, solved.type)) return json;
  json.p2sh = addressFromScript(p2shOfScript(script), prefixes);
  let segwit: Uint8Array | undefined;
  let witnessScript: Uint8Array | undefined;
  switch (solved.type) {
    case 'pubkey':
      if (solved.pubkey.length === 33) segwit = p2wpkh(hash160(solved.pubkey));
      break;
    case 'multisig':
      if (solved.pubkeys.every((k) => k.length === 33)) {
        segwit = p2wshOfScript(script);
        witnessScript = script;
      }
      break;
    case 'pubkeyhash':
      segwit = p2wpkh(solved.hash);
      break;
    case 'nonstandard':
      segwit = p2wshOfScript(script);
      witnessScript = script;
      break;
    default:
      // Witness programs cannot be wrapped in P2WSH.
      break;
  }
  if (segwit !== undefined) {
    json.segwit = {
      ...scriptPubKeyJson(segwit, prefixes, witnessScript === undefined ? {} : { witnessScript }),
      'p2sh-segwit': addressFromScript(p2shOfScript(segwit), prefixes),
    };
  }
  return json;
}
