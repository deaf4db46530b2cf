/**
 * The wallet database layout: one LevelDB per wallet at `<networkDir>/wallets/<name>/db/`, beside
 * the keystore file (`<networkDir>/wallets/<name>/keystore`). Keys start with one byte naming the
 * record; values are UTF-8 JSON (records are small and few next to the chain's, and JSON keeps a
 * wallet inspectable with any LevelDB tool). Nothing secret is ever written here: seeds, private
 * keys and the mnemonic live only in the keystore, encrypted when the wallet has a passphrase.
 *
 *   'W'                         -> WalletMetaRecord: version, network, flags, birth time, the master
 *                                  key's fingerprint and each address type's account xpub
 *                                  (public: lets a locked wallet derive new addresses)
 *   'i' type(u8) internal(u8)   -> next unused index of that key chain (the key-chain indexes)
 *   'l' address (UTF-8)         -> label of an address (address book)
 *   'a' scriptPubKey            -> ImportedScriptRecord: watch-only address/script, multisig
 *   't' txid (32, internal)     -> WalletTxRecord: raw transaction, block position, times, comments
 *   'd' descriptor (UTF-8)      -> DescriptorRecord: an imported public descriptor and its range
 *                                  (expanded again into watched scripts on load)
 *   'B'                         -> BestBlockRecord: the last block whose transactions were processed
 *   'u' txid (32) vout (u32 LE) -> {} : a coin locked with lockunspent persistent=true (Core's
 *                                  "lockedutxo" records; in-memory locks are never written)
 *
 * Spent markers are the stored transactions themselves: on load every input of every wallet
 * transaction is indexed again (Core rebuilds mapTxSpends the same way), so a marker can never
 * disagree with the transaction that spends.
 *
 * Every change that must hold together (a transaction, its spent markers and the best block of the
 * block that confirmed it; an address index and its label) is one atomic LevelDB batch.
 */

export const WALLET_DB_VERSION = 1;

export const Prefix = {
  META: 0x57, // 'W'
  CHAIN_INDEX: 0x69, // 'i'
  LABEL: 0x6c, // 'l'
  IMPORTED: 0x61, // 'a'
  TX: 0x74, // 't'
  DESCRIPTOR: 0x64, // 'd'
  BEST_BLOCK: 0x42, // 'B'
  LOCKED_COIN: 0x75, // 'u'
} as const;

const ADDRESS_TYPE_CODE = { legacy: 0, 'p2sh-segwit': 1, bech32: 2, bech32m: 3 } as const;

export function metaKey(): Uint8Array {
  return Uint8Array.of(Prefix.META);
}

export function bestBlockKey(): Uint8Array {
  return Uint8Array.of(Prefix.BEST_BLOCK);
}

export function chainIndexKey(type: keyof typeof ADDRESS_TYPE_CODE, internal: boolean): Uint8Array {
  return Uint8Array.of(Prefix.CHAIN_INDEX, ADDRESS_TYPE_CODE[type], internal ? 1 : 0);
}

export function labelKey(address: string): Uint8Array {
  return withPrefix(Prefix.LABEL, Buffer.from(address, 'utf8'));
}

export function importedKey(scriptPubKey: Uint8Array): Uint8Array {
  return withPrefix(Prefix.IMPORTED, scriptPubKey);
}

export function descriptorKey(desc: string): Uint8Array {
  return withPrefix(Prefix.DESCRIPTOR, Buffer.from(desc, 'utf8'));
}

export function txKey(txid: Uint8Array): Uint8Array {
  return withPrefix(Prefix.TX, txid);
}

export function lockedCoinKey(txid: Uint8Array, vout: number): Uint8Array {
  const body = new Uint8Array(36);
  body.set(txid, 0);
  new DataView(body.buffer).setUint32(32, vout, true);
  return withPrefix(Prefix.LOCKED_COIN, body);
}

function withPrefix(prefix: number, body: Uint8Array): Uint8Array {
  const key = new Uint8Array(body.length + 1);
  key[0] = prefix;
  key.set(body, 1);
  return key;
}

/** [gte, lt) covering every key that starts with `prefix`. */
export function prefixRange(prefix: number): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) };
}
