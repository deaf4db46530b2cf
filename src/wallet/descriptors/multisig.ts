/**
 * createmultisig / addmultisigaddress (Core's AddAndGetMultisigDestination in rpc/util.cpp and the
 * createmultisig handler in rpc/output_script.cpp): the address, the multisig script and its
 * descriptor, with Core's limits and messages.
 */
import type { NetworkParams } from '../../consensus/params.js';
import { hash160 } from '../../crypto/hash.js';
import { isValidPublicKey } from '../../crypto/secp256k1.js';
import { equalBytes } from '../../encoding/bytes.js';
import { fromHex } from '../../encoding/hex.js';
import { addressFromScript } from '../../script/address.js';
import { MAX_PUBKEYS_PER_MULTISIG, MAX_SCRIPT_ELEMENT_SIZE } from '../../script/script.js';
import { multisig, p2shOfScript, p2wshOfScript } from '../../script/templates.js';
import { DescriptorError } from './errors.js';
import { inferDescriptor } from './infer.js';
import { isHex } from './parse-key.js';
import type { OutputType } from './types.js';

/** The output types a multisig can be made as (Core refuses bech32m: no multisig in taproot here). */
export type MultisigOutputType = 'legacy' | 'p2sh-segwit' | 'bech32';

export interface MultisigResult {
  readonly address: string;
  /** The multisig script itself: the redeem script, or for segwit types the witness script. */
  readonly redeemScript: Uint8Array;
  /** Set for p2sh-segwit and bech32: the same script as `redeemScript`, named for what it is. */
  readonly witnessScript?: Uint8Array;
  /** The output script the address pays to. */
  readonly scriptPubKey: Uint8Array;
  /** e.g. wsh(multi(2,...))#checksum, inferred as Core does. */
  readonly descriptor: string;
  /** The type actually made: legacy when an uncompressed key rules segwit out. */
  readonly outputType: MultisigOutputType;
  /** Core's warning when the requested type could not be made. */
  readonly warnings: readonly string[];
}

/** Core's HexToPubKey: a hex, 33- or 65-byte, fully valid public key (errors are RPC -5). */
export function hexToPubKey(hex: string): Uint8Array {
  if (!isHex(hex)) throw new DescriptorError(`Pubkey "${hex}" must be a hex string`, 'key');
  if (hex.length !== 66 && hex.length !== 130) {
    throw new DescriptorError(`Pubkey "${hex}" must have a length of either 33 or 65 bytes`, 'key');
  }
  const key = fromHex(hex.toLowerCase());
  if (!isValidPublicKey(key))
    throw new DescriptorError(`Pubkey "${hex}" must be cryptographically valid.`, 'key');
  return key;
}

/**
 * An m-of-n multisig address of `outputType`. Throws DescriptorError (kind 'parameter', RPC -8)
 * with Core's messages for a bad threshold, too many keys or an oversized legacy script.
 */
export function createMultisig(
  nRequired: number,
  pubkeys: readonly Uint8Array[],
  outputType: MultisigOutputType | OutputType,
  network: Pick<NetworkParams, 'addressPrefixes'>,
): MultisigResult {
  if (outputType === 'bech32m') {
    throw new DescriptorError('createmultisig cannot create bech32m multisig addresses', 'key');
  }
  if (!Number.isInteger(nRequired) || nRequired < 1) {
    throw new DescriptorError(
      'a multisignature address must require at least one key to redeem',
      'parameter',
    );
  }
  if (pubkeys.length < nRequired) {
    throw new DescriptorError(
      `not enough keys supplied (got ${pubkeys.length} keys, but need at least ${nRequired} to redeem)`,
      'parameter',
    );
  }
  if (pubkeys.length > MAX_PUBKEYS_PER_MULTISIG) {
    throw new DescriptorError(
      `Number of keys involved in the multisignature address creation > ${MAX_PUBKEYS_PER_MULTISIG}\nReduce the number`,
      'parameter',
    );
  }
  const script = multisig(nRequired, pubkeys);
  // Segwit forbids uncompressed keys (BIP143 policy): such a multisig can only be legacy P2SH.
  const made: MultisigOutputType = pubkeys.some((k) => k.length !== 33) ? 'legacy' : outputType;
  if (made === 'legacy' && script.length > MAX_SCRIPT_ELEMENT_SIZE) {
    throw new DescriptorError(
      `redeemScript exceeds size limit: ${script.length} > ${MAX_SCRIPT_ELEMENT_SIZE}`,
      'parameter',
    );
  }
  const witness = p2wshOfScript(script);
  const scriptPubKey =
    made === 'legacy' ? p2shOfScript(script) : made === 'bech32' ? witness : p2shOfScript(witness);
  const known = made === 'p2sh-segwit' ? [script, witness] : [script];
  const desc = inferDescriptor(scriptPubKey, {
    addressPrefixes: network.addressPrefixes,
    getScript: (id) => known.find((s) => equalBytes(hash160(s), id)),
  });
  return {
    address: addressFromScript(scriptPubKey, network.addressPrefixes)!,
    redeemScript: script,
    ...(made !== 'legacy' && { witnessScript: script }),
    scriptPubKey,
    descriptor: desc.toString(),
    outputType: made,
    warnings:
      made !== outputType
        ? ['Unable to make chosen address type, please ensure no uncompressed public keys are present.']
        : [],
  };
}
