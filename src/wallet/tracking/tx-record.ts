import { toHex } from '../../encoding/hex.js';
import { txKey } from '../layout.js';
import { put, type WalletDbOp } from '../store/wallet-db.js';
import type { WalletTxRecord } from '../store/records.js';
import type { WalletTxState } from './tx-book.js';

/** The database record of a wallet transaction (see ../layout.ts 't'). */
export function txRecordOp(wtx: WalletTxState): WalletDbOp {
  const record: WalletTxRecord = {
    hex: toHex(wtx.tx.encode(true)),
    timeReceived: wtx.timeReceived,
    time: wtx.time,
    orderPos: wtx.orderPos,
    ...(wtx.block === undefined ? {} : { block: wtx.block }),
    ...(wtx.conflict === undefined
      ? {}
      : { conflictHeight: wtx.conflict.height, conflictBlock: wtx.conflict.hash }),
    ...(wtx.comment === undefined ? {} : { comment: wtx.comment }),
    ...(wtx.commentTo === undefined ? {} : { commentTo: wtx.commentTo }),
    ...(wtx.abandoned === true ? { abandoned: true } : {}),
    ...(wtx.replacedBy === undefined ? {} : { replacedBy: wtx.replacedBy }),
    ...(wtx.replaces === undefined ? {} : { replaces: wtx.replaces }),
  };
  return put(txKey(wtx.txid), record);
}
