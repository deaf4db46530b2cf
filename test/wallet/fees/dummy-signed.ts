import { Op } from '../../../src/script/opcodes.js';
import { ScriptBuilder } from '../../../src/script/script.js';
import { multisig } from '../../../src/script/templates.js';
import { OutPoint } from '../../../src/primitives/outpoint.js';
import { TxIn } from '../../../src/primitives/txin.js';
import type { SpendType } from '../../../src/wallet/fees/tx-size.js';

/**
 * Inputs signed with placeholder bytes of the sizes real signatures have (71-byte ECDSA with its
 * sighash byte, 64-byte Schnorr, 33-byte keys), built independently of tx-size.ts from the script
 * templates, so the estimates can be checked against Transaction.weight().
 */
const sig = (): Uint8Array => new Uint8Array(71).fill(0x30);
const key = (): Uint8Array => {
  const k = new Uint8Array(33).fill(0x11);
  k[0] = 2;
  return k;
};

export function dummySignedInput(spend: SpendType, index: number): TxIn {
  const prevout = new OutPoint(new Uint8Array(32).fill(index & 0xff), index);
  switch (spend.kind) {
    case 'p2pkh':
      return new TxIn(prevout, new ScriptBuilder().push(sig()).push(key()).build());
    case 'p2wpkh':
      return new TxIn(prevout, new Uint8Array(0), 0xffffffff, [sig(), key()]);
    case 'p2sh-p2wpkh': {
      const program = new ScriptBuilder().op(Op.OP_0).push(new Uint8Array(20)).build();
      return new TxIn(prevout, new ScriptBuilder().push(program).build(), 0xffffffff, [sig(), key()]);
    }
    case 'p2tr-keypath':
      return new TxIn(prevout, new Uint8Array(0), 0xffffffff, [new Uint8Array(64)]);
    case 'p2sh-multisig': {
      const redeem = multisig(spend.m, Array.from({ length: spend.n }, key));
      const b = new ScriptBuilder().op(Op.OP_0);
      for (let i = 0; i < spend.m; i++) b.push(sig());
      return new TxIn(prevout, b.push(redeem).build());
    }
    case 'p2wsh-multisig':
    case 'p2sh-p2wsh-multisig': {
      const script = multisig(spend.m, Array.from({ length: spend.n }, key));
      const witness = [new Uint8Array(0), ...Array.from({ length: spend.m }, sig), script];
      const scriptSig =
        spend.kind === 'p2sh-p2wsh-multisig'
          ? new ScriptBuilder().push(new ScriptBuilder().op(Op.OP_0).push(new Uint8Array(32)).build()).build()
          : new Uint8Array(0);
      return new TxIn(prevout, scriptSig, 0xffffffff, witness);
    }
  }
}
