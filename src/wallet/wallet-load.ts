import { existsSync } from 'node:fs';
import { fromHex } from '../encoding/hex.js';
import { OutPoint } from '../primitives/outpoint.js';
import { Transaction } from '../primitives/transaction.js';
import { WalletError } from './api.js';
import { Keystore } from './keystore/keystore.js';
import { type DescriptorRecord, registerDescriptor } from './keychain/descriptor-scripts.js';
import { importedScript } from './keychain/imported-script.js';
import { type OwnedScript, scriptKey } from './keychain/owned-script.js';
import { WalletScripts } from './keychain/wallet-scripts.js';
import { SigningKeyCache } from './spend/wallet-keys.js';
import { Prefix, bestBlockKey, metaKey } from './layout.js';
import type { WalletMempool } from './node-interfaces.js';
import type {
  BestBlockRecord,
  ImportedScriptRecord,
  LabelRecord,
  WalletMetaRecord,
  WalletTxRecord,
} from './store/records.js';
import { decodeJson, WalletDB } from './store/wallet-db.js';
import { TxBook, type WalletTxState } from './tracking/tx-book.js';
import { WalletCoinList } from './spend/coin-list.js';
import { TxTracker } from './tracking/tx-tracker.js';
import { decodeFingerprint, walletPaths } from './wallet-files.js';
import type { WalletEnvironment, WalletState } from './wallet-state.js';

export interface LoadDeps extends WalletEnvironment {
  readonly keypool: number;
}

const ADDRESS_TYPE_BY_CODE = ['legacy', 'p2sh-segwit', 'bech32', 'bech32m'] as const;

/** Opens a wallet's database and keystore and rebuilds its in-memory state. */
export async function loadWalletState(
  walletsDir: string,
  name: string,
  deps: LoadDeps,
): Promise<WalletState> {
  const paths = walletPaths(walletsDir, name);
  if (!existsSync(paths.db)) {
    throw new WalletError(
      'WALLET_NOT_FOUND',
      `Wallet file verification failed. Failed to load database path '${paths.dir}'. Path does not exist.`,
    );
  }
  const db = await WalletDB.open(paths.db);
  try {
    const metaBytes = await db.get(metaKey());
    if (metaBytes === undefined)
      throw new WalletError('WALLET_ERROR', `Wallet ${name} has no wallet record (corrupt)`);
    const meta = decodeJson<WalletMetaRecord>(metaBytes);
    const network = deps.chain.network;
    if (meta.network !== network.name) {
      throw new WalletError(
        'WALLET_ERROR',
        `Wallet ${name} belongs to network ${meta.network}, not ${network.name}`,
      );
    }
    const keystore = existsSync(paths.keystore) ? await Keystore.open(paths.keystore) : undefined;
    const scripts = new WalletScripts(network, deps.keypool);
    const nextIndexes = new Map<string, number>();
    for (const [key, value] of await db.entries(Prefix.CHAIN_INDEX)) {
      const type = ADDRESS_TYPE_BY_CODE[key[1]!];
      if (type !== undefined)
        nextIndexes.set(WalletScripts.chainId(type, key[2] === 1), decodeJson<number>(value));
    }
    if (meta.accounts !== undefined) {
      scripts.setupHd({
        masterFingerprint: decodeFingerprint(meta.masterFingerprint),
        accounts: meta.accounts,
        nextIndexes,
        spendable: keystore !== undefined,
      });
    }
    const labels = new Map<string, string>();
    for (const [key, value] of await db.entries(Prefix.LABEL)) {
      labels.set(Buffer.from(key.subarray(1)).toString('utf8'), decodeJson<LabelRecord>(value).label);
    }
    const imported = new Map<string, ImportedScriptRecord>();
    for (const [key, value] of await db.entries(Prefix.IMPORTED)) {
      const record = decodeJson<ImportedScriptRecord>(value);
      const owned = importedScript(key.slice(1), record, scripts);
      imported.set(owned.key, record);
      scripts.add(owned);
    }
    for (const [, value] of await db.entries(Prefix.DESCRIPTOR)) {
      registerDescriptor(decodeJson<DescriptorRecord>(value), scripts);
    }
    const book = new TxBook();
    book.tipHeight = deps.chain.height;
    const records: { txid: Uint8Array; r: WalletTxRecord }[] = [];
    for (const [key, value] of await db.entries(Prefix.TX)) {
      records.push({ txid: key.slice(1), r: decodeJson<WalletTxRecord>(value) });
    }
    records.sort((a, b) => a.r.orderPos - b.r.orderPos);
    for (const { txid, r } of records) book.add(txState(txid, r, scripts, deps.mempool));
    const lockedCoins = new Set<string>();
    for (const [key] of await db.entries(Prefix.LOCKED_COIN)) {
      const body = key.subarray(1);
      lockedCoins.add(
        OutPoint.keyPrefix(body.subarray(0, 32)) +
          new DataView(body.buffer, body.byteOffset).getUint32(32, true),
      );
    }
    const bestBytes = await db.get(bestBlockKey());
    const lastBlock = bestBytes === undefined ? undefined : decodeJson<BestBlockRecord>(bestBytes);
    return {
      name,
      network,
      dir: paths.dir,
      db,
      keystore,
      meta,
      scripts,
      book,
      coinList: new WalletCoinList(book),
      tracker: new TxTracker(book, scripts, deps.now),
      labels,
      imported,
      lockedCoins,
      chain: deps.chain,
      mempool: deps.mempool,
      fees: deps.fees,
      now: deps.now,
      logger: deps.logger,
      kdf: deps.kdf,
      signingKeys: new SigningKeyCache(),
      lastBlock,
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}

function txState(
  txid: Uint8Array,
  r: WalletTxRecord,
  scripts: WalletScripts,
  mempool: WalletMempool | undefined,
): WalletTxState {
  const tx = Transaction.decode(fromHex(r.hex));
  const credits = new Map<number, OwnedScript>();
  tx.outputs.forEach((o, i) => {
    const owned = scripts.get(scriptKey(o.scriptPubKey));
    if (owned !== undefined) credits.set(i, owned);
  });
  return {
    tx,
    txid,
    key: OutPoint.keyPrefix(txid),
    txidHex: tx.txidHex(),
    timeReceived: r.timeReceived,
    time: r.time,
    block: r.block,
    conflict:
      r.conflictHeight === undefined ? undefined : { height: r.conflictHeight, hash: r.conflictBlock ?? '' },
    inMempool: r.block === undefined && (mempool?.has(txid) ?? false),
    ...(r.comment === undefined ? {} : { comment: r.comment }),
    ...(r.commentTo === undefined ? {} : { commentTo: r.commentTo }),
    ...(r.abandoned === true ? { abandoned: true } : {}),
    ...(r.replacedBy === undefined ? {} : { replacedBy: r.replacedBy }),
    ...(r.replaces === undefined ? {} : { replaces: r.replaces }),
    orderPos: r.orderPos,
    credits,
  };
}
