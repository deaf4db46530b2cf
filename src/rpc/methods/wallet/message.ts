import type { RpcContext } from '../../context.js';
import type { RpcMethod } from '../../registry.js';
import { engine, walletForRequest } from './wallet-context.js';

/**
 * Core's wallet/rpc/signmessage.cpp. The engine checks in Core's order (locked -13, invalid
 * address -5, not P2PKH -3, no private key -4) and writes nothing; verifymessage (util) checks
 * the result without a wallet.
 */
export const signmessage: RpcMethod<RpcContext> = {
  name: 'signmessage',
  category: 'wallet',
  params: [
    {
      name: 'address',
      type: 'string',
      required: true,
      description: 'The bitcoin address to use for the private key.',
    },
    {
      name: 'message',
      type: 'string',
      required: true,
      description: 'The message to create a signature of.',
    },
  ],
  description:
    'Sign a message with the private key of an address\nRequires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.',
  result: '"str"    (string) The signature of the message encoded in base 64',
  examples: ['"mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB" "my message"'],
  handler: (ctx, args, call) => {
    const wallet = walletForRequest(ctx, call);
    const address = args.str(0);
    const message = args.str(1);
    return engine(() => wallet.signMessage(address, message));
  },
};
