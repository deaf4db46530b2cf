/**
 * Mempool acceptance of standard transactions (half P2WPKH, half P2PKH spends of confirmed coins,
 * decoded from bytes as if from the wire), against the reference measured in the same run: bare
 * ECDSA verification of one signature per transaction on one thread, the floor of acceptance.
 */
import { randomBytes } from 'node:crypto';
import { ecdsaSign, ecdsaVerifyCompact, publicKeyCreate } from '../src/crypto/secp256k1.js';
import { Transaction } from '../src/primitives/transaction.js';
import { MempoolHarness } from '../test/mempool/support.js';
import { measure, perSecond, ratio } from './stats.js';

export async function benchMempool(count = 3000): Promise<void> {
  const h = await MempoolHarness.create({}, 110);
  try {
    const perFanOut = 1000;
    const outputs = [];
    for (let k = 0; k < Math.ceil(count / perFanOut); k++)
      outputs.push(...(await h.fanOut(perFanOut, 100_000)));
    const signed = outputs.slice(0, count).map((o, i) =>
      h.tc.spend([o], {
        fee: 1000,
        outputs: [{ value: 99_000, scriptPubKey: i % 2 ? h.tc.key.p2pkh() : h.tc.key.p2wpkh() }],
      }),
    );
    // Fresh decodes: nothing cached from signing, as transactions arrive from peers.
    const wire = signed.map((tx) => Transaction.decode(tx.encode()));
    const t0 = performance.now();
    let accepted = 0;
    for (const tx of wire) if (h.mempool.acceptNow(tx).ok) accepted++;
    const acceptMs = performance.now() - t0;
    if (accepted !== count) throw new Error(`only ${accepted}/${count} transactions accepted`);

    const priv = randomBytes(32);
    const pub = publicKeyCreate(priv);
    const sigs = Array.from({ length: 1000 }, () => {
      const msg = randomBytes(32);
      return { msg, sig: ecdsaSign(msg, priv) };
    });
    const floor = await measure(5, 1, () => {
      for (const s of sigs) if (!ecdsaVerifyCompact(s.sig, s.msg, pub)) throw new Error('bad signature');
    });
    const acceptRate = (count / acceptMs) * 1000;
    const floorRate = (sigs.length / floor.median) * 1000;
    console.log(`\n== mempool acceptance (${count} standard P2WPKH/P2PKH transactions, one thread) ==`);
    console.log(`  accepted                      ${perSecond(count, acceptMs)} (${acceptMs.toFixed(0)} ms)`);
    console.log(`  floor: bare ECDSA, 1 thread   ${perSecond(sigs.length, floor.median)}`);
    console.log(`  acceptance / floor            ${ratio(acceptRate, floorRate)}`);
  } finally {
    await h.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMempool();
