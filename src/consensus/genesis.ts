import { concatBytes, utf8 } from '../encoding/bytes.js';
import { fromHex } from '../encoding/hex.js';
import { Block } from '../primitives/block.js';
import { BlockHeader } from '../primitives/block-header.js';
import { computeMerkleRoot } from '../primitives/merkle.js';
import { OutPoint } from '../primitives/outpoint.js';
import { Transaction } from '../primitives/transaction.js';
import { TxIn } from '../primitives/txin.js';
import { TxOut } from '../primitives/txout.js';
import type { GenesisParams, NetworkParams } from './params.js';

const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;
const OP_CHECKSIG = 0xac;

/**
 * The start of every genesis coinbase scriptSig, as Core writes it with
 * `CScript() << 486604799 << CScriptNum(4)`: a 4-byte push of 486604799 (0x1d00ffff, little-endian
 * ffff001d) and a 1-byte push of the number 4. The headline push follows.
 */
const GENESIS_SCRIPTSIG_PREFIX = Uint8Array.of(0x04, 0xff, 0xff, 0x00, 0x1d, 0x01, 0x04);

/** Minimal push of arbitrary data, as CScript's operator<< for a byte vector writes it. */
function pushData(data: Uint8Array): Uint8Array {
  const n = data.length;
  if (n < OP_PUSHDATA1) return concatBytes(Uint8Array.of(n), data);
  if (n <= 0xff) return concatBytes(Uint8Array.of(OP_PUSHDATA1, n), data);
  return concatBytes(Uint8Array.of(OP_PUSHDATA2, n & 0xff, n >> 8), data);
}

/** The genesis coinbase: the headline in the scriptSig, the reward paid to `<pubkey> OP_CHECKSIG`. */
export function genesisCoinbase(genesis: GenesisParams): Transaction {
  const scriptSig = concatBytes(GENESIS_SCRIPTSIG_PREFIX, pushData(utf8(genesis.headline)));
  const scriptPubKey = concatBytes(pushData(fromHex(genesis.outputPubKey)), Uint8Array.of(OP_CHECKSIG));
  return new Transaction(
    1,
    [new TxIn(OutPoint.null(), scriptSig)],
    [new TxOut(genesis.reward, scriptPubKey)],
    0,
  );
}

/** Builds a network's genesis block from its parameters (Core's CreateGenesisBlock). */
export function buildGenesisBlock(network: Pick<NetworkParams, 'genesis'>): Block {
  const g = network.genesis;
  const coinbase = genesisCoinbase(g);
  const { root } = computeMerkleRoot([coinbase.txid()]);
  const header = new BlockHeader(g.version, new Uint8Array(32), root, g.time, g.bits, g.nonce);
  return new Block(header, [coinbase]);
}
