import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { hash160 } from '../../../src/crypto/hash.js';
import { recoverCompact, messageHash } from '../../../src/crypto/message-signing.js';
import { publicKeyCreate } from '../../../src/crypto/secp256k1.js';
import { decodeBase64 } from '../../../src/encoding/base64.js';
import { toHex } from '../../../src/encoding/hex.js';
import { addressFromScript } from '../../../src/script/address.js';
import { messageVerify } from '../../../src/script/signed-message.js';
import { p2pkh } from '../../../src/script/templates.js';
import { type WalletApi, WalletError } from '../../../src/wallet/api.js';
import { addChecksum } from '../../../src/wallet/descriptors/index.js';
import { encodeWif } from '../../../src/wallet/keys/wif.js';
import { EngineHarness, MNEMONIC } from './harness.js';

const PREFIXES = regtest.addressPrefixes;
const MESSAGE = 'This is just a test message';
const PASSPHRASE = 'message signing passphrase';

/** Asserts a WalletError with bitcoind's RPC code and message. */
function rejects(f: () => unknown, rpcCode: number, message: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof WalletError, String(e));
    assert.equal(e.rpcCode, rpcCode);
    assert.equal(e.message, message);
    return true;
  });
}

const p2pkhAddress = (pubkey: Uint8Array) => addressFromScript(p2pkh(hash160(pubkey)), PREFIXES)!;

describe('wallet signMessage (Core CWallet::SignMessage)', () => {
  let h: EngineHarness;
  let w: WalletApi;

  before(async () => {
    h = await EngineHarness.create();
    w = await h.wallets.create({ name: 'signer', mnemonic: MNEMONIC });
  });
  after(() => h.destroy());

  it('signs with the key of a legacy address, and the signature verifies for that address only', async () => {
    const address = await w.getNewAddress('', 'legacy');
    const other = await w.getNewAddress('', 'legacy');
    const signature = w.signMessage(address, MESSAGE);
    assert.equal(decodeBase64(signature)?.length, 65);
    assert.equal(messageVerify(address, signature, MESSAGE, PREFIXES), 'ok');
    assert.equal(messageVerify(address, signature, `${MESSAGE}.`, PREFIXES), 'not-signed');
    assert.equal(messageVerify(other, signature, MESSAGE, PREFIXES), 'not-signed');
    const otherSignature = w.signMessage(other, MESSAGE);
    assert.equal(messageVerify(address, otherSignature, MESSAGE, PREFIXES), 'not-signed');
    // The header says "compressed": the wallet's HD keys are; the recovered key is the address's.
    assert.equal(decodeBase64(signature)![0]! >= 31, true);
    const recovered = recoverCompact(messageHash(MESSAGE), decodeBase64(signature)!)!;
    assert.equal(toHex(recovered), toHex(w.getAddressInfo(address).pubkey!));
    // RFC6979: signing again gives the same signature.
    assert.equal(w.signMessage(address, MESSAGE), signature);
  });

  it("refuses other addresses with Core's codes: invalid -5, not P2PKH -3, no key -4", async () => {
    rejects(() => w.signMessage('not an address', MESSAGE), -5, 'Invalid address');
    rejects(() => w.signMessage('1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH', MESSAGE), -5, 'Invalid address');
    const bech32 = await w.getNewAddress('', 'bech32');
    rejects(() => w.signMessage(bech32, MESSAGE), -3, 'Address does not refer to key');
    const nested = await w.getNewAddress('', 'p2sh-segwit');
    rejects(() => w.signMessage(nested, MESSAGE), -3, 'Address does not refer to key');
    // A stranger's P2PKH address.
    const stranger = p2pkhAddress(publicKeyCreate(new Uint8Array(32).fill(7)));
    rejects(() => w.signMessage(stranger, MESSAGE), -4, 'Private key not available');
    // The P2PKH form of the wallet's own bech32 key is a script a descriptor wallet does not have.
    const ownKey = w.getAddressInfo(bech32).pubkey!;
    rejects(() => w.signMessage(p2pkhAddress(ownKey), MESSAGE), -4, 'Private key not available');
  });

  it('signs for an imported pkh() with an uncompressed WIF key, with the uncompressed header', async () => {
    const blank = await h.wallets.create({ name: 'imported', blank: true });
    const key = new Uint8Array(32).fill(0x11);
    const desc = addChecksum(`pkh(${encodeWif(key, false, regtest)})`);
    assert.deepEqual(await blank.importDescriptors([{ desc, timestamp: 'now' }]), [{ success: true }]);
    const address = p2pkhAddress(publicKeyCreate(key, false));
    const signature = blank.signMessage(address, MESSAGE);
    const bytes = decodeBase64(signature)!;
    assert.ok(bytes[0]! >= 27 && bytes[0]! <= 30, `uncompressed header, got ${bytes[0]}`);
    assert.equal(messageVerify(address, signature, MESSAGE, PREFIXES), 'ok');
    assert.equal(
      messageVerify(p2pkhAddress(publicKeyCreate(key, true)), signature, MESSAGE, PREFIXES),
      'not-signed',
    );
  });

  it('a watch-only wallet has no private key to sign with (-4)', async () => {
    const watcher = await h.wallets.create({ name: 'watcher', disablePrivateKeys: true });
    const pubkey = publicKeyCreate(new Uint8Array(32).fill(0x22));
    const desc = addChecksum(`pkh(${toHex(pubkey)})`);
    assert.deepEqual(await watcher.importDescriptors([{ desc, timestamp: 'now' }]), [{ success: true }]);
    assert.equal(watcher.getAddressInfo(p2pkhAddress(pubkey)).isMine, true);
    rejects(() => watcher.signMessage(p2pkhAddress(pubkey), MESSAGE), -4, 'Private key not available');
  });

  it('a locked wallet refuses with -13 before looking at the address, and nothing changes', async () => {
    const locked = await h.wallets.create({ name: 'locked', passphrase: PASSPHRASE });
    await locked.unlock(PASSPHRASE, 60);
    const address = await locked.getNewAddress('', 'legacy');
    const expected = locked.signMessage(address, MESSAGE);
    locked.lock();
    const before = JSON.stringify(locked.info());
    const unlockNeeded = 'Error: Please enter the wallet passphrase with walletpassphrase first.';
    rejects(() => locked.signMessage(address, MESSAGE), -13, unlockNeeded);
    rejects(() => locked.signMessage('not an address', MESSAGE), -13, unlockNeeded);
    assert.equal(JSON.stringify(locked.info()), before);
    assert.equal(locked.isLocked(), true);
    await locked.unlock(PASSPHRASE, 60);
    assert.equal(locked.signMessage(address, MESSAGE), expected);
    locked.lock();
    rejects(() => locked.signMessage(address, MESSAGE), -13, unlockNeeded);
  });
});
