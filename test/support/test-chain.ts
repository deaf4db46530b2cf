/**
 * A regtest block factory for tests (in the spirit of btcd's fullblocktests): valid blocks on any
 * parent, transactions with real signatures, and the invalid variants consensus must refuse.
 *
 * Example:
 * ```ts
 * const tc = new TestChain();                  // regtest; coinbases pay tc.key (P2WPKH)
 * const blocks = tc.mine(101);                 // heights 1..101 on genesis
 * const coin = tc.coinbaseOutput(blocks[0]!);  // mature: 100 blocks on top
 * const tx = tc.spend([coin]);                 // signed; pays coin.value - 1000 back to tc.key
 * const b102 = tc.block({ txs: [tx] });        // on the last block built; coinbase collects the fee
 * const side = tc.block({ parent: blocks[99]! }); // a fork at height 101
 * const bad = tc.block({ parent: b102, txs: [tc.withBadSignature(tc.spend(tc.outputs(tx)))] });
 * for (const b of [...blocks, b102]) await chain.processBlock(b);
 * ```
 * Everything is deterministic (keys from TestKey.fromSeed, RFC6979 signatures): two builders making
 * the same calls make the same blocks. Within one builder an extra-nonce counter makes every
 * coinbase unique, so sibling blocks never share a coinbase txid.
 */
import { blockProof, checkProofOfWork } from '../../src/consensus/pow.js';
import { buildGenesisBlock } from '../../src/consensus/genesis.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import type { NetworkParams } from '../../src/consensus/params.js';
import { nextWorkRequired } from '../../src/consensus/retarget.js';
import { blockSubsidy } from '../../src/consensus/subsidy.js';
import { computeWitnessMerkleRoot, witnessCommitment } from '../../src/consensus/witness-commitment.js';
import { hash160, sha256 } from '../../src/crypto/hash.js';
import { ecdsaSignDer, publicKeyCreate } from '../../src/crypto/secp256k1.js';
import { concatBytes, equalBytes, utf8 } from '../../src/encoding/bytes.js';
import { Block } from '../../src/primitives/block.js';
import { BlockHeader } from '../../src/primitives/block-header.js';
import { computeMerkleRoot } from '../../src/primitives/merkle.js';
import { OutPoint } from '../../src/primitives/outpoint.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { TxIn } from '../../src/primitives/txin.js';
import { TxOut } from '../../src/primitives/txout.js';
import { PrecomputedTransactionData } from '../../src/script/precomputed.js';
import { pushData, pushInt } from '../../src/script/script.js';
import { SighashType, signatureHashLegacy, signatureHashWitnessV0 } from '../../src/script/sighash.js';
import { p2pkh, p2wpkh } from '../../src/script/templates.js';
import { WITNESS_COMMITMENT_HEADER } from '../../src/consensus/constants.js';

/** OP_TRUE: spendable by an empty scriptSig (no signature), handy for cheap bulk transactions. */
export const OP_TRUE = Uint8Array.of(0x51);

/** A deterministic key pair with its two standard output scripts. */
export class TestKey {
  readonly publicKey: Uint8Array;
  readonly pubkeyHash: Uint8Array;

  constructor(readonly privateKey: Uint8Array) {
    this.publicKey = publicKeyCreate(privateKey, true);
    this.pubkeyHash = hash160(this.publicKey);
  }

  static fromSeed(seed: string | number): TestKey {
    return new TestKey(sha256(utf8(`tally-test-key:${seed}`)));
  }

  p2pkh(): Uint8Array {
    return p2pkh(this.pubkeyHash);
  }

  p2wpkh(): Uint8Array {
    return p2wpkh(this.pubkeyHash);
  }
}

/** An output the builder can spend: where it is, what it holds, and the key (if any) it needs. */
export interface SpendableOutput {
  readonly outpoint: OutPoint;
  readonly value: number;
  readonly scriptPubKey: Uint8Array;
}

export interface BlockOptions {
  /** The parent: a block this builder made or registered, or its hash (default: the last one built). */
  readonly parent?: Block | Uint8Array;
  /** Transactions after the coinbase. */
  readonly txs?: readonly Transaction[];
  /** Default: parent time + 1 (always above the median time past). */
  readonly time?: number;
  /** Default 0x20000000 (BIP9 top bits, as Core's miner). */
  readonly version?: number;
  /** Default: consensus nextWorkRequired for the parent. */
  readonly bits?: number;
  /** Coinbase output script (default: the builder key's P2WPKH). */
  readonly payTo?: Uint8Array;
  /** Coinbase amount (default: subsidy + fees of txs whose inputs the builder knows). */
  readonly coinbaseValue?: number;
  /** The height the coinbase claims (BIP34); default the real height. */
  readonly coinbaseHeight?: number;
}

export interface SpendOptions {
  /** Default: one output to the builder key's P2WPKH of the inputs' value minus `fee`. */
  readonly outputs?: readonly { readonly value: number; readonly scriptPubKey?: Uint8Array }[];
  /** Default 1000 sat (only used without `outputs`). */
  readonly fee?: number;
  readonly version?: number;
  readonly locktime?: number;
  readonly sequence?: number;
}

interface Known {
  readonly block: Block;
  readonly height: number;
  readonly chainwork: bigint;
}

export class TestChain {
  readonly network: NetworkParams;
  readonly genesis: Block;
  readonly key: TestKey;
  /** The last block built (the default parent). */
  last: Block;
  private readonly known = new Map<string, Known>();
  private readonly values = new Map<string, number>();
  private readonly keys: TestKey[];
  private extraNonce = 0;

  constructor(options: { network?: NetworkParams; key?: TestKey } = {}) {
    this.network = options.network ?? regtest;
    this.key = options.key ?? TestKey.fromSeed(0);
    this.keys = [this.key];
    this.genesis = buildGenesisBlock(this.network);
    this.last = this.genesis;
    this.known.set(this.genesis.hashHex(), {
      block: this.genesis,
      height: 0,
      chainwork: blockProof(this.genesis.header.bits),
    });
  }

  /** Another key whose outputs spend() can sign for. */
  addKey(key: TestKey): void {
    this.keys.push(key);
  }

  /** Makes a block built elsewhere (a miner under test) usable as a parent. */
  register(block: Block): void {
    const parent = this.info(block.header.prevBlock);
    this.remember(block, parent.height + 1, parent.chainwork + blockProof(block.header.bits));
  }

  heightOf(block: Block | Uint8Array): number {
    return this.info(block instanceof Block ? block.hash() : block).height;
  }

  /** A valid block (unless options say otherwise) on `options.parent`; it becomes `last`. */
  block(options: BlockOptions = {}): Block {
    const parentBlock =
      options.parent === undefined
        ? this.last
        : this.info(options.parent instanceof Block ? options.parent.hash() : options.parent).block;
    const parent = this.info(parentBlock.hash());
    const height = parent.height + 1;
    const txs = [...(options.txs ?? [])];
    const time = options.time ?? parentBlock.header.time + 1;
    const bits = options.bits ?? this.bitsAfter(parent, time);
    const fees = txs.reduce((sum, tx) => sum + this.feeOf(tx), 0);
    const value = options.coinbaseValue ?? blockSubsidy(height, this.network.consensus) + fees;
    const coinbase = this.coinbase(
      options.coinbaseHeight ?? height,
      value,
      options.payTo ?? this.key.p2wpkh(),
    );
    const block = new Block(
      new BlockHeader(options.version ?? 0x20000000, parentBlock.hash(), new Uint8Array(32), time, bits, 0),
      [coinbase, ...txs],
    );
    if (txs.some((tx) => tx.hasWitness())) addWitnessCommitment(block);
    block.header.merkleRoot = computeMerkleRoot(block.txs.map((tx) => tx.txid())).root;
    this.solve(block.header);
    this.remember(block, height, parent.chainwork + blockProof(bits));
    this.last = block;
    return block;
  }

  /** `n` valid empty blocks in a row on `options.parent` (default: the last built). */
  mineBlocks(n: number, options: Omit<BlockOptions, 'txs' | 'time' | 'coinbaseHeight'> = {}): Block[] {
    const blocks: Block[] = [];
    for (let i = 0; i < n; i++) {
      blocks.push(this.block(i === 0 ? options : { ...options, parent: undefined }));
    }
    return blocks;
  }

  /** `n` valid empty blocks on the last block built (mineBlocks with default options). */
  mine(n: number): Block[] {
    return this.mineBlocks(n);
  }

  /** Finds a nonce that meets the header's target (regtest: about every other nonce works). */
  solve(header: BlockHeader): void {
    while (!checkProofOfWork(header.hash(), header.bits, this.network.consensus)) {
      header.nonce++;
      header.invalidate();
    }
  }

  /** The first output of the block's coinbase. */
  coinbaseOutput(block: Block): SpendableOutput {
    return this.outputs(block.txs[0]!)[0]!;
  }

  /** Every output of `tx` (spendable if it pays a builder key or OP_TRUE). */
  outputs(tx: Transaction): SpendableOutput[] {
    const txid = tx.txid();
    return tx.outputs.map((o, i) => ({
      outpoint: new OutPoint(txid, i),
      value: o.value,
      scriptPubKey: o.scriptPubKey,
    }));
  }

  /** A transaction spending `inputs`, signed with SIGHASH_ALL (P2PKH, P2WPKH of a builder key, or OP_TRUE). */
  spend(inputs: readonly SpendableOutput[], options: SpendOptions = {}): Transaction {
    const total = inputs.reduce((sum, input) => sum + input.value, 0);
    const outputs = options.outputs ?? [{ value: total - (options.fee ?? 1000) }];
    const tx = new Transaction(
      options.version ?? 2,
      inputs.map((input) => new TxIn(input.outpoint, new Uint8Array(0), options.sequence ?? 0xffffffff)),
      outputs.map((o) => new TxOut(o.value, o.scriptPubKey ?? this.key.p2wpkh())),
      options.locktime ?? 0,
    );
    this.sign(tx, inputs);
    this.rememberOutputs(tx);
    return tx;
  }

  /** Signs every input of `tx`, which spends `inputs` in order. */
  sign(tx: Transaction, inputs: readonly SpendableOutput[]): void {
    const txdata = new PrecomputedTransactionData(tx);
    inputs.forEach((input, i) => {
      const script = input.scriptPubKey;
      if (equalBytes(script, OP_TRUE)) return;
      const key = this.keys.find((k) => equalBytes(script, k.p2pkh()) || equalBytes(script, k.p2wpkh()));
      if (key === undefined) throw new Error(`input ${i}: no builder key for this scriptPubKey`);
      const all = SighashType.ALL;
      if (equalBytes(script, key.p2pkh())) {
        const digest = signatureHashLegacy(script, tx, i, all, txdata);
        const sig = concatBytes(ecdsaSignDer(digest, key.privateKey), Uint8Array.of(all));
        tx.inputs[i]!.scriptSig = concatBytes(pushData(sig), pushData(key.publicKey));
      } else {
        const digest = signatureHashWitnessV0(key.p2pkh(), tx, i, all, input.value, txdata);
        const sig = concatBytes(ecdsaSignDer(digest, key.privateKey), Uint8Array.of(all));
        tx.inputs[i]!.witness = [sig, key.publicKey];
      }
    });
    tx.invalidate();
  }

  // Invalid variants. Each returns a copy with valid proof of work unless PoW is what is broken.

  /** The header commits to other transactions: `bad-txnmrklroot` (MUTATED: never cached invalid). */
  withBadMerkleRoot(block: Block): Block {
    const header = copyHeader(block.header);
    header.merkleRoot = sha256(header.merkleRoot);
    header.invalidate();
    this.solve(header);
    return new Block(header, block.txs);
  }

  /** A hash above the target: `high-hash`. */
  withBadPoW(block: Block): Block {
    const header = copyHeader(block.header);
    do {
      header.nonce++;
      header.invalidate();
    } while (checkProofOfWork(header.hash(), header.bits, this.network.consensus));
    return new Block(header, block.txs);
  }

  /**
   * CVE-2012-2459: the last transaction repeated, with the same Merkle root and hash:
   * `bad-txns-duplicate` (MUTATED). Needs an odd number of transactions, at least 3.
   */
  withDuplicatedTx(block: Block): Block {
    if (block.txs.length < 3 || block.txs.length % 2 === 0)
      throw new Error('needs an odd count >= 3 of transactions');
    return new Block(block.header, [...block.txs, block.txs[block.txs.length - 1]!]);
  }

  /** One bit of input 0's signature flipped (inside S): the script fails. */
  withBadSignature(tx: Transaction): Transaction {
    const copy = tx.clone();
    const input = copy.inputs[0]!;
    const sig =
      input.witness.length > 0 ? input.witness[0]! : input.scriptSig.subarray(1, 1 + input.scriptSig[0]!);
    const sStart = 4 + sig[3]! + 2;
    sig[sStart + 5]! ^= 0x01;
    copy.invalidate();
    this.rememberOutputs(copy);
    return copy;
  }

  private info(hash: Uint8Array): Known {
    const known = this.known.get(Buffer.from(hash).reverse().toString('hex'));
    if (known === undefined) throw new Error('TestChain: unknown parent block (build or register it first)');
    return known;
  }

  private remember(block: Block, height: number, chainwork: bigint): void {
    this.known.set(block.hashHex(), { block, height, chainwork });
    for (const tx of block.txs) this.rememberOutputs(tx);
  }

  private rememberOutputs(tx: Transaction): void {
    const txid = tx.txid();
    tx.outputs.forEach((o, i) => {
      this.values.set(new OutPoint(txid, i).key(), o.value);
    });
  }

  /** Inputs the builder knows minus outputs; 0 when unknown or negative (an overspend test). */
  private feeOf(tx: Transaction): number {
    let fee = 0;
    for (const input of tx.inputs) {
      const value = this.values.get(input.prevout.key());
      if (value === undefined) return 0;
      fee += value;
    }
    for (const output of tx.outputs) fee -= output.value;
    return Math.max(0, fee);
  }

  private bitsAfter(parent: Known, time: number): number {
    const facts = (k: Known) => ({ height: k.height, bits: k.block.header.bits, time: k.block.header.time });
    const ancestor = (height: number) => {
      let k = parent;
      while (k.height > height) k = this.info(k.block.header.prevBlock);
      return facts(k);
    };
    return nextWorkRequired({ last: facts(parent), blockTime: time, ancestor }, this.network.consensus);
  }

  private coinbase(height: number, value: number, payTo: Uint8Array): Transaction {
    const nonce = new Uint8Array(4);
    new DataView(nonce.buffer).setUint32(0, this.extraNonce++, true);
    const scriptSig = concatBytes(pushInt(height), pushData(nonce));
    return new Transaction(2, [new TxIn(OutPoint.null(), scriptSig)], [new TxOut(value, payTo)], 0);
  }
}

/** BIP141 commitment in the coinbase: reserved value of 32 zero bytes in its witness. */
function addWitnessCommitment(block: Block): void {
  const coinbase = block.txs[0]!;
  const reserved = new Uint8Array(32);
  coinbase.inputs[0]!.witness = [reserved];
  const commitment = witnessCommitment(computeWitnessMerkleRoot(block).root, reserved);
  coinbase.outputs.push(new TxOut(0, concatBytes(WITNESS_COMMITMENT_HEADER, commitment)));
  coinbase.invalidate();
}

function copyHeader(h: BlockHeader): BlockHeader {
  return new BlockHeader(h.version, h.prevBlock, h.merkleRoot, h.time, h.bits, h.nonce);
}
