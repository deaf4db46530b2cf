import { signMessage } from '../../crypto/message-signing.js';
import { messageVerify } from '../../script/signed-message.js';
import { decodeWif, type WifKey } from '../../wallet/keys/wif.js';
import type { RpcContext } from '../context.js';
import { RpcError, RpcErrorCode } from '../errors.js';
import type { RpcMethod } from '../registry.js';

/**
 * Core's rpc/signmessage.cpp: verifymessage and signmessagewithprivkey (help category "util"), with
 * its error codes and messages. The wallet's signmessage lives in wallet/message.ts.
 */

type Method = RpcMethod<RpcContext>;

export const verifymessage: Method = {
  name: 'verifymessage',
  category: 'util',
  params: [
    {
      name: 'address',
      type: 'string',
      required: true,
      description: 'The bitcoin address to use for the signature.',
    },
    {
      name: 'signature',
      type: 'string',
      required: true,
      description: 'The signature provided by the signer in base 64 encoding (see signmessage).',
    },
    { name: 'message', type: 'string', required: true, description: 'The message that was signed.' },
  ],
  description: 'Verify a signed message.',
  result: 'true|false    (boolean) If the signature is verified or not.',
  examples: ['"mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB" "signature" "my message"'],
  handler: (ctx, args) => {
    switch (messageVerify(args.str(0), args.str(1), args.str(2), ctx.network.addressPrefixes)) {
      case 'invalid-address':
        throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Invalid address');
      case 'address-no-key':
        throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, 'Address does not refer to key');
      case 'malformed-signature':
        throw new RpcError(RpcErrorCode.RPC_TYPE_ERROR, 'Malformed base64 encoding');
      case 'pubkey-not-recovered':
      case 'not-signed':
        return false;
      case 'ok':
        return true;
    }
  },
};

export const signmessagewithprivkey: Method = {
  name: 'signmessagewithprivkey',
  category: 'util',
  params: [
    {
      name: 'privkey',
      type: 'string',
      required: true,
      description: 'The private key to sign the message with.',
    },
    {
      name: 'message',
      type: 'string',
      required: true,
      description: 'The message to create a signature of.',
    },
  ],
  description: 'Sign a message with the private key of an address',
  result: '"str"    (string) The signature of the message encoded in base 64',
  examples: ['"privkey" "my message"'],
  handler: (ctx, args) => {
    const message = args.str(1);
    let key: WifKey;
    try {
      // Core's DecodeSecret: any WIF that is malformed or for another network is just invalid.
      key = decodeWif(args.str(0), ctx.network);
    } catch {
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Invalid private key');
    }
    try {
      return signMessage(message, key.privateKey, key.compressed);
    } catch {
      throw new RpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, 'Sign failed');
    } finally {
      key.wipe();
    }
  },
};
