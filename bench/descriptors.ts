/**
 * Descriptor expansion: 1,000 positions of wpkh(xpub/0/*), as a wallet fills its look-ahead
 * window. Reference, measured in the same run: the bare BIP32 work (one CKDpub per position from
 * the already-derived /0 parent, plus HASH160), i.e. what an expansion cannot avoid; and the naive
 * cost of deriving every position from the root again (what the parent cache saves).
 *
 * Run alone with `node --import tsx bench/descriptors.ts`; bench/run.ts calls benchDescriptors().
 */
import { pathToFileURL } from 'node:url';
import { mainnet } from '../src/consensus/networks/main.js';
import { hash160 } from '../src/crypto/hash.js';
import { p2wpkh } from '../src/script/templates.js';
import { parseDescriptor } from '../src/wallet/descriptors/index.js';
import { HDKey } from '../src/wallet/keys/index.js';
import { fmt, measure, ratio } from './stats.js';

const XPUB =
  'xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL';
const COUNT = 1000;

export async function benchDescriptors(): Promise<void> {
  const root = HDKey.fromBase58(XPUB, mainnet);
  const parent = root.derive([0]);
  const bare = await measure(5, 1, () => {
    for (let i = 0; i < COUNT; i++) p2wpkh(hash160(parent.derive([i]).publicKey));
  });
  const naive = await measure(5, 1, () => {
    for (let i = 0; i < COUNT; i++) p2wpkh(hash160(root.derive([0, i]).publicKey));
  });
  // A fresh descriptor per run: its per-position cache starts empty, so every position is derived.
  const expand = await measure(5, 1, () => {
    const desc = parseDescriptor(`wpkh(${XPUB}/0/*)`, { network: mainnet });
    for (let i = 0; i < COUNT; i++) desc.expand(i);
  });
  console.log(
    `descriptors: ${COUNT} wpkh(xpub/0/*) expansions ${fmt(expand.median)} (p90 ${fmt(expand.p90)}); ` +
      `bare CKDpub+HASH160 ${fmt(bare.median)} -> ${ratio(expand.median, bare.median)} of bare; ` +
      `re-deriving from the root ${fmt(naive.median)} -> ${ratio(naive.median, expand.median)} slower than cached`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchDescriptors();
