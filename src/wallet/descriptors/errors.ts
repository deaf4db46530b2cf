/**
 * Why a descriptor could not be parsed or expanded. `message` is Bitcoin Core's error text
 * (script/descriptor.cpp, rpc/output_script.cpp), which getdescriptorinfo, deriveaddresses and
 * importdescriptors show verbatim; `kind` tells an RPC layer which error code Core answers with.
 */
export type DescriptorErrorKind =
  /** The text is not a valid descriptor (RPC_INVALID_ADDRESS_OR_KEY, -5). */
  | 'parse'
  /** Parsed, but a script cannot be derived, e.g. hardened steps under an xpub (-5). */
  | 'derive'
  /** A bad argument to a helper such as createMultisig (RPC_INVALID_PARAMETER, -8). */
  | 'parameter'
  /** A bad public key given to createMultisig (RPC_INVALID_ADDRESS_OR_KEY, -5). */
  | 'key';

export class DescriptorError extends Error {
  override readonly name = 'DescriptorError';
  constructor(
    message: string,
    readonly kind: DescriptorErrorKind = 'parse',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
