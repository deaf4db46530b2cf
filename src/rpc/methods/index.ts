import type { RpcContext } from '../context.js';
import { RpcRegistry } from '../registry.js';
import * as blockchain from './blockchain.js';
import * as control from './control.js';
import * as descriptors from './descriptors.js';
import * as generating from './generating.js';
import * as mempool from './mempool.js';
import * as message from './message.js';
import * as mining from './mining.js';
import * as multisig from './multisig.js';
import * as network from './network.js';
import * as psbt from './psbt.js';
import * as psbtJoin from './psbt-join.js';
import * as psbtSign from './psbt-sign.js';
import * as rawtransactions from './rawtransactions.js';
import * as util from './util.js';
import * as utxo from './utxo.js';
import { walletMethods } from './wallet/index.js';

/** Every method Tally serves, with `help` over the same table. */
export function createRegistry(): RpcRegistry<RpcContext> {
  const registry = new RpcRegistry<RpcContext>();
  registry.register(
    control.helpMethod(registry),
    control.stop,
    control.uptime,
    blockchain.getblockchaininfo,
    blockchain.getblockcount,
    blockchain.getbestblockhash,
    blockchain.getblockhash,
    blockchain.getblockheader,
    blockchain.getblock,
    blockchain.getchaintips,
    blockchain.getdifficulty,
    blockchain.invalidateblock,
    blockchain.reconsiderblock,
    utxo.gettxout,
    utxo.gettxoutsetinfo,
    utxo.gettxoutproof,
    utxo.verifytxoutproof,
    mempool.getmempoolinfo,
    mempool.getrawmempool,
    mempool.getmempoolentry,
    rawtransactions.decoderawtransaction,
    rawtransactions.decodescript,
    rawtransactions.getrawtransaction,
    rawtransactions.sendrawtransaction,
    rawtransactions.testmempoolaccept,
    mining.getmininginfo,
    mining.getnetworkhashps,
    mining.getblocktemplate,
    mining.submitblock,
    generating.generatetoaddress,
    generating.generatetodescriptor,
    generating.generateblock,
    network.getconnectioncount,
    network.getnetworkinfo,
    network.getpeerinfo,
    network.addnode,
    network.disconnectnode,
    util.validateaddress,
    message.verifymessage,
    message.signmessagewithprivkey,
    descriptors.getdescriptorinfo,
    descriptors.deriveaddresses,
    multisig.createmultisig,
    psbt.createpsbt,
    psbt.decodepsbt,
    psbt.analyzepsbt,
    psbt.combinepsbt,
    psbt.finalizepsbt,
    psbt.converttopsbt,
    psbt.utxoupdatepsbt,
    psbtJoin.joinpsbts,
    psbtSign.descriptorprocesspsbt,
    ...walletMethods,
  );
  return registry;
}
