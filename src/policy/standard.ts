import { compactSizeLength } from '../encoding/compact-size.js';
import type { Transaction } from '../primitives/transaction.js';
import type { TxOut } from '../primitives/txout.js';
import { isPushOnly, isUnspendable, isWitnessProgram } from '../script/script.js';
import { type ClassifiedScript, classifyScript } from '../script/templates.js';
import {
  DEFAULT_PERMIT_BAREMULTISIG,
  DUST_RELAY_TX_FEE,
  MAX_DUST_OUTPUTS_PER_TX,
  MAX_OP_RETURN_RELAY,
  MAX_STANDARD_BARE_MULTISIG_KEYS,
  MAX_STANDARD_SCRIPTSIG_SIZE,
  MAX_STANDARD_TX_WEIGHT,
  TX_MAX_STANDARD_VERSION,
} from './constants.js';
import { feeForSize } from './fee-rate.js';
import { PolicyReject, type PolicyRejectReason } from './reject.js';

/** The options of IsStandardTx (Core's -datacarrier/-datacarriersize, -permitbaremultisig, -dustrelayfee). */
export interface StandardTxOptions {
  /** Largest standard OP_RETURN output script in bytes; null refuses every data carrier (-datacarrier=0). */
  readonly maxDatacarrierBytes: number | null;
  readonly permitBareMultisig: boolean;
  /** sat/kvB. */
  readonly dustRelayFeeRate: number;
}

export const DEFAULT_STANDARD_TX_OPTIONS: StandardTxOptions = Object.freeze({
  maxDatacarrierBytes: MAX_OP_RETURN_RELAY,
  permitBareMultisig: DEFAULT_PERMIT_BAREMULTISIG,
  dustRelayFeeRate: DUST_RELAY_TX_FEE,
});

/** Serialized size of an output: 8-byte value, compact-size script length, script. */
function outputSize(output: TxOut): number {
  const n = output.scriptPubKey.length;
  return 8 + compactSizeLength(n) + n;
}

/**
 * Core's GetDustThreshold: an output is dust when spending it would cost more in fees at
 * `dustRelayFeeRate` than it is worth. The spend is priced as a 148-byte input for legacy outputs
 * and as a P2WPKH input (41 bytes + a 107-byte witness at a quarter weight) for any witness program,
 * taproot included (kept higher than its real cost on purpose, see Core PR 22779). At 3,000 sat/kvB:
 * 546 sat for P2PKH (34 + 148 bytes), 294 for P2WPKH (31 + 67), 330 for P2TR/P2WSH (43 + 67).
 */
export function getDustThreshold(output: TxOut, dustRelayFeeRate: number): number {
  if (isUnspendable(output.scriptPubKey)) return 0;
  let size = outputSize(output);
  if (isWitnessProgram(output.scriptPubKey) !== null) {
    // 32 + 4 + 1 + floor(107 / 4) + 4, exactly as Core's integer expression.
    size += 32 + 4 + 1 + Math.floor(107 / 4) + 4;
  } else {
    size += 32 + 4 + 1 + 107 + 4;
  }
  return feeForSize(dustRelayFeeRate, size);
}

export function isDust(output: TxOut, dustRelayFeeRate: number): boolean {
  return output.value < getDustThreshold(output, dustRelayFeeRate);
}

/** Core's GetDust: the indexes of the dust outputs. */
export function getDustOutputs(tx: Transaction, dustRelayFeeRate: number): number[] {
  const dust: number[] = [];
  tx.outputs.forEach((output, i) => {
    if (isDust(output, dustRelayFeeRate)) dust.push(i);
  });
  return dust;
}

/**
 * Core's IsStandard(scriptPubKey): a recognised template; bare multisig only up to 3 keys; data
 * carriers only up to the configured size. The classification is returned either way, because
 * IsStandardTx also needs it for the scripts it accepts.
 */
export function isStandardOutputScript(
  script: Uint8Array,
  maxDatacarrierBytes: number | null,
): { standard: boolean; classified: ClassifiedScript } {
  const classified = classifyScript(script);
  let standard = true;
  if (classified.type === 'nonstandard') {
    standard = false;
  } else if (classified.type === 'multisig') {
    const n = classified.pubkeys.length;
    const m = classified.required;
    if (n < 1 || n > MAX_STANDARD_BARE_MULTISIG_KEYS || m < 1 || m > n) standard = false;
  } else if (classified.type === 'nulldata') {
    if (maxDatacarrierBytes === null || script.length > maxDatacarrierBytes) standard = false;
  }
  return { standard, classified };
}

/**
 * Core's IsStandardTx (v29): the checks on a transaction alone, in Core's order, so the first
 * failing rule gives Core's reason. Returns undefined when standard.
 */
export function checkStandardTx(
  tx: Transaction,
  options: StandardTxOptions = DEFAULT_STANDARD_TX_OPTIONS,
): PolicyRejectReason | undefined {
  // nVersion is a signed 32-bit field in Core: versions with the top bit set are negative, not large.
  const version = tx.version | 0;
  if (version > TX_MAX_STANDARD_VERSION || version < 1) return PolicyReject.VERSION;

  // Sighashing is O(inputs * size): capping the weight bounds the CPU a relayed transaction can cost.
  if (tx.weight() > MAX_STANDARD_TX_WEIGHT) return PolicyReject.TX_SIZE;

  for (const input of tx.inputs) {
    if (input.scriptSig.length > MAX_STANDARD_SCRIPTSIG_SIZE) return PolicyReject.SCRIPTSIG_SIZE;
    // Anything but pushes in a scriptSig is malleable by third parties (BIP62).
    if (!isPushOnly(input.scriptSig)) return PolicyReject.SCRIPTSIG_NOT_PUSHONLY;
  }

  let dataOutputs = 0;
  for (const output of tx.outputs) {
    const { standard, classified } = isStandardOutputScript(output.scriptPubKey, options.maxDatacarrierBytes);
    if (!standard) return PolicyReject.SCRIPTPUBKEY;
    if (classified.type === 'nulldata') dataOutputs++;
    else if (classified.type === 'multisig' && !options.permitBareMultisig) return PolicyReject.BARE_MULTISIG;
  }

  // Ephemeral dust (v29): one dust output may exist, in a zero-fee transaction whose child spends it;
  // the fee and spend conditions are checked by the mempool, which knows the fee and the pool.
  if (getDustOutputs(tx, options.dustRelayFeeRate).length > MAX_DUST_OUTPUTS_PER_TX) return PolicyReject.DUST;

  if (dataOutputs > 1) return PolicyReject.MULTI_OP_RETURN;
  return undefined;
}
