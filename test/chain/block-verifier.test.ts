import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BlockVerifier } from '../../src/chain/block-verifier.js';
import type { BlockCheck } from '../../src/consensus/errors.js';
import { mainnet } from '../../src/consensus/networks/main.js';
import { MAX_MONEY } from '../../src/consensus/subsidy.js';
import { SignatureVerifyPool } from '../../src/crypto/verify-pool.js';
import { Coin } from '../../src/primitives/coin.js';
import { parseScript } from '../../src/script/script.js';
import { BLOCK_300025_HASH, load300025, recommit } from './block-300025.js';

function rejected(result: BlockCheck, reason: string | RegExp): void {
  assert.equal(result.ok, false, `expected rejection with ${reason}`);
  if (result.ok) return;
  if (typeof reason === 'string') assert.equal(result.reason, reason, result.debug);
  else assert.match(result.reason, reason, result.debug);
}

/** Flips one bit inside the S value of the first push (the DER signature) of a P2PKH input's scriptSig. */
function corruptFirstSignature(scriptSig: Uint8Array): void {
  const first = parseScript(scriptSig)[0]!;
  const der = first.data!;
  assert.ok(der.length >= 70 && der[0] === 0x30, 'the input starts with a DER signature');
  const rLength = der[3]!;
  const sStart = 4 + rLength + 2;
  der[sStart + 10]! ^= 0x01; // `der` is a view into scriptSig: this edits the transaction in place
}

describe('BlockVerifier on mainnet block 300025', () => {
  let pool: SignatureVerifyPool;
  const verifiers: Array<[string, () => BlockVerifier]> = [
    ['sequential', () => new BlockVerifier()],
    ['worker pool', () => new BlockVerifier({ pool })],
  ];
  before(async () => {
    pool = await SignatureVerifyPool.create({ threads: 2 });
  });
  after(async () => {
    await pool.close();
  });

  for (const [name, make] of verifiers) {
    describe(name, () => {
      it('fully validates the block: every one of its 1,427 input scripts', async () => {
        const { block, view, ctx } = load300025();
        assert.equal(block.hashHex(), BLOCK_300025_HASH);
        const result = await make().verify(block, view, ctx, mainnet);
        assert.ok(result.ok, result.ok ? '' : `${result.reason}: ${result.debug}`);
        assert.equal(result.scriptChecks.length, 1427);
        assert.ok(result.fees > 0);
      });

      it('rejects a flipped byte in a signature: mandatory-script-verify-flag-failed', async () => {
        const { block, view, ctx } = load300025();
        const tx = block.txs[5]!;
        corruptFirstSignature(tx.inputs[0]!.scriptSig);
        recommit(block);
        const result = await make().verify(block, view, ctx, mainnet, { checkPoW: false });
        rejected(result, /^mandatory-script-verify-flag-failed \(.+\)$/);
      });

      it('rejects the same block without the recommitted Merkle root: bad-txnmrklroot', async () => {
        const { block, view, ctx } = load300025();
        corruptFirstSignature(block.txs[5]!.inputs[0]!.scriptSig);
        for (const tx of block.txs) tx.invalidate();
        rejected(await make().verify(block, view, ctx, mainnet), 'bad-txnmrklroot');
      });

      it('rejects an output raised above its inputs: bad-txns-in-belowout', async () => {
        const { block, view, ctx } = load300025();
        const tx = block.txs[7]!;
        tx.outputs[0]!.value += 100_000_000_000;
        recommit(block);
        rejected(await make().verify(block, view, ctx, mainnet, { checkPoW: false }), 'bad-txns-in-belowout');
      });

      it('rejects a spent coin whose amount is raised out of range: bad-txns-inputvalues-outofrange', async () => {
        const { block, view, ctx } = load300025();
        const spent = block.txs[9]!.inputs[0]!.prevout;
        const coin = view.getCoin(spent)!;
        view.add(spent, new Coin(MAX_MONEY + 1, coin.scriptPubKey, coin.height, coin.coinbase));
        rejected(await make().verify(block, view, ctx, mainnet), 'bad-txns-inputvalues-outofrange');
      });

      it('rejects a coinbase claiming more than subsidy plus fees: bad-cb-amount', async () => {
        const { block, view, ctx } = load300025();
        block.txs[0]!.outputs[0]!.value += 1;
        recommit(block);
        rejected(await make().verify(block, view, ctx, mainnet, { checkPoW: false }), 'bad-cb-amount');
      });

      it('rejects a duplicated transaction with an unchanged Merkle root (CVE-2012-2459): bad-txns-duplicate', async () => {
        const { block, view, ctx } = load300025();
        assert.equal(block.txs.length % 2, 1, 'an odd count lets the last transaction be duplicated');
        block.txs.push(block.txs[block.txs.length - 1]!);
        // The header, its Merkle root and its proof of work are untouched: only the mutation check catches it.
        rejected(await make().verify(block, view, ctx, mainnet), 'bad-txns-duplicate');
      });

      it('rejects a transaction spending the same coin twice (CVE-2018-17144): bad-txns-inputs-duplicate', async () => {
        const { block, view, ctx } = load300025();
        const tx = block.txs[3]!;
        tx.inputs.push(tx.inputs[0]!);
        recommit(block);
        rejected(
          await make().verify(block, view, ctx, mainnet, { checkPoW: false }),
          'bad-txns-inputs-duplicate',
        );
      });

      it('rejects a coin missing from the view: bad-txns-inputs-missingorspent', async () => {
        const { block, view, ctx } = load300025();
        assert.ok(view.spend(block.txs[11]!.inputs[0]!.prevout));
        rejected(await make().verify(block, view, ctx, mainnet), 'bad-txns-inputs-missingorspent');
      });

      it('rejects a changed nonce: high-hash', async () => {
        const { block, view, ctx } = load300025();
        block.header.nonce ^= 1;
        block.header.invalidate();
        rejected(await make().verify(block, view, ctx, mainnet), 'high-hash');
      });
    });
  }
});
