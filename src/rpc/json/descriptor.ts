import { hash160 } from '../../crypto/hash.js';
import { equalBytes } from '../../encoding/bytes.js';
import type { AddressPrefixes } from '../../script/address.js';
import { classifyScript } from '../../script/templates.js';
import { inferDescriptor as inferWithProvider } from '../../wallet/descriptors/index.js';

export { descriptorChecksum } from '../../wallet/descriptors/index.js';

/**
 * The `desc` field bitcoind shows for scripts: InferDescriptor over a signing provider that knows
 * no keys (decodescript, transaction outputs), with its BIP380 checksum. `witnessScript`, when
 * given, is the script a P2WSH output commits to, as decodescript's provider knows it. The logic
 * lives in wallet/descriptors/infer.ts; this keeps the RPC layer's string-returning form.
 */
export function inferDescriptor(
  script: Uint8Array,
  prefixes: AddressPrefixes,
  witnessScript?: Uint8Array,
): string {
  // Only the P2WSH output itself is inferred through it (decodescript's segwit section).
  const known = witnessScript !== undefined && classifyScript(script).type === 'witness_v0_scripthash';
  const id = known ? hash160(witnessScript) : undefined;
  return inferWithProvider(script, {
    addressPrefixes: prefixes,
    getScript: (scriptId) =>
      id !== undefined && witnessScript !== undefined && equalBytes(id, scriptId) ? witnessScript : undefined,
  }).toString();
}
