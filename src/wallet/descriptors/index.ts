/**
 * Output script descriptors (BIP380-386, BIP389 multipath) for the wallet: parse, print (public,
 * private, normalized), expand, infer, and the multisig helper behind createmultisig and
 * addmultisigaddress. Errors are DescriptorError with Bitcoin Core's messages.
 */
export { addChecksum, descriptorChecksum, getDescriptorChecksum, splitChecksum } from './checksum.js';
export { DescriptorError, type DescriptorErrorKind } from './errors.js';
export { type InferOptions, inferDescriptor } from './infer.js';
export { createMultisig, hexToPubKey, type MultisigOutputType, type MultisigResult } from './multisig.js';
export { parseDescriptor, parseDescriptors } from './parse.js';
export type {
  Descriptor,
  ExpandedKey,
  ExpandedOutput,
  InferProvider,
  KeyOrigin,
  OutputType,
  ParseOptions,
} from './types.js';
