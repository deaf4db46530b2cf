import { equalBytes } from '../../encoding/bytes.js';
import { hash160 } from '../../crypto/hash.js';
import { encodeOpN, Op } from '../../script/opcodes.js';
import { joinBytes, pushData } from '../../script/script.js';
import { SigVersion } from '../../script/sigversion.js';
import type { SpendPlan } from './solver.js';

/**
 * Turns a SpendPlan and a set of signatures into the final scriptSig and witness (Core's
 * ProduceSignature after SignStep). Shared by the finalizer (real signatures) and the analyzer
 * (dummy ones, to estimate the size of the finished transaction).
 */

export interface FinalScripts {
  scriptSig: Uint8Array;
  witness: Uint8Array[];
}

/** What is still missing, as Core's analyzepsbt reports it: HASH160s of the keys concerned. */
export interface Missing {
  pubkeys: Uint8Array[];
  signatures: Uint8Array[];
}

export type Satisfaction = { ok: true; scripts: FinalScripts } | { ok: false; missing: Missing };

/**
 * Core's PushAll: each stack item as the shortest push, with the empty item as OP_0 and a single
 * byte 1..16 as OP_1..OP_16, so the scriptSig is minimal (MINIMALDATA policy) and push-only.
 */
function pushAll(stack: readonly Uint8Array[]): Uint8Array {
  return joinBytes(
    stack.map((item) => {
      if (item.length === 0) return Uint8Array.of(Op.OP_0);
      if (item.length === 1 && item[0]! >= 1 && item[0]! <= 16) return Uint8Array.of(encodeOpN(item[0]!));
      if (item.length === 1 && item[0] === 0x81) return Uint8Array.of(Op.OP_1NEGATE);
      return pushData(item);
    }),
  );
}

/** Wraps the template's stack in the P2SH and P2WSH layers of the plan. */
function wrap(plan: SpendPlan, stack: Uint8Array[]): FinalScripts {
  const redeem = plan.redeemScript === undefined ? [] : [plan.redeemScript];
  if (plan.witnessScript !== undefined) {
    return { scriptSig: pushAll(redeem), witness: [...stack, plan.witnessScript] };
  }
  if (plan.sigversion === SigVersion.WITNESS_V0) return { scriptSig: pushAll(redeem), witness: stack };
  return { scriptSig: pushAll([...stack, ...redeem]), witness: [] };
}

/**
 * The final scripts for `plan`, taking signatures from `signatureFor` and, for P2PKH-style
 * templates, the public key from `candidates`. For multisig the signatures are taken in the order
 * of the keys in the script (CHECKMULTISIG consumes them in that order), the first `required` of
 * them, after the OP_0 dummy that CHECKMULTISIG's off-by-one pops (BIP147 NULLDUMMY: empty).
 */
export function satisfy(
  plan: SpendPlan,
  signatureFor: (pubkey: Uint8Array) => Uint8Array | undefined,
  candidates: readonly Uint8Array[],
): Satisfaction {
  const t = plan.template;
  if (t.type === 'pubkey') {
    const sig = signatureFor(t.pubkey);
    if (sig === undefined) return { ok: false, missing: { pubkeys: [], signatures: [hash160(t.pubkey)] } };
    return { ok: true, scripts: wrap(plan, [sig]) };
  }
  if (t.type === 'pubkeyhash') {
    const pubkey = candidates.find((key) => equalBytes(hash160(key), t.hash));
    if (pubkey === undefined) return { ok: false, missing: { pubkeys: [t.hash], signatures: [] } };
    const sig = signatureFor(pubkey);
    if (sig === undefined) return { ok: false, missing: { pubkeys: [], signatures: [t.hash] } };
    return { ok: true, scripts: wrap(plan, [sig, pubkey]) };
  }
  const sigs: Uint8Array[] = [];
  const lacking: Uint8Array[] = [];
  for (const pubkey of t.pubkeys) {
    const sig = signatureFor(pubkey);
    if (sig === undefined) lacking.push(hash160(pubkey));
    else if (sigs.length < t.required) sigs.push(sig);
  }
  if (sigs.length < t.required) return { ok: false, missing: { pubkeys: [], signatures: lacking } };
  return { ok: true, scripts: wrap(plan, [new Uint8Array(0), ...sigs]) };
}
