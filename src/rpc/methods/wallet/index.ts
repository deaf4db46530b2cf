import type { RpcContext } from '../../context.js';
import type { RpcMethod } from '../../registry.js';
import * as addresses from './addresses.js';
import * as balances from './balances.js';
import * as backup from './backup.js';
import * as bumping from './bumpfee.js';
import * as byLabel from './by-label.js';
import * as coinLocks from './coin-locks.js';
import * as encryption from './encryption.js';
import * as importing from './import.js';
import * as labels from './labels.js';
import * as manage from './manage.js';
import * as message from './message.js';
import * as send from './send.js';
import * as sinceBlock from './since-block.js';
import * as transactions from './transactions.js';
import * as walletPsbt from './wallet-psbt.js';

/** Every wallet method (help category "wallet"); they reach the wallets through RpcContext.wallets. */
export const walletMethods: readonly RpcMethod<RpcContext>[] = [
  manage.createwallet,
  manage.loadwallet,
  manage.unloadwallet,
  manage.listwallets,
  manage.listwalletdir,
  manage.getwalletinfo,
  addresses.getnewaddress,
  addresses.getrawchangeaddress,
  addresses.getaddressinfo,
  addresses.addmultisigaddress,
  addresses.importaddress,
  importing.importdescriptors,
  importing.rescanblockchain,
  importing.abortrescan,
  balances.getbalance,
  balances.getbalances,
  balances.listunspent,
  balances.getreceivedbyaddress,
  transactions.listtransactions,
  transactions.gettransaction,
  send.sendtoaddress,
  send.sendmany,
  encryption.encryptwallet,
  encryption.walletpassphrase,
  encryption.walletpassphrasechange,
  encryption.walletlock,
  walletPsbt.walletcreatefundedpsbt,
  walletPsbt.walletprocesspsbt,
  walletPsbt.signrawtransactionwithwallet,
  bumping.bumpfee,
  bumping.psbtbumpfee,
  bumping.abandontransaction,
  coinLocks.lockunspent,
  coinLocks.listlockunspent,
  labels.setlabel,
  labels.listlabels,
  labels.listreceivedbyaddress,
  backup.listdescriptors,
  backup.backupwallet,
  backup.restorewallet,
  backup.keypoolrefill,
  message.signmessage,
  byLabel.getaddressesbylabel,
  byLabel.getreceivedbylabel,
  byLabel.listreceivedbylabel,
  sinceBlock.listsinceblock,
];
