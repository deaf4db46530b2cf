import { DEFAULT_INCREMENTAL_RELAY_FEE, DEFAULT_MIN_RELAY_TX_FEE } from '../../policy/constants.js';
import { ensurePeers, type PeerSnapshot, type RpcContext } from '../context.js';
import { RpcError, RpcErrorCode } from '../errors.js';
import { Amount } from '../json/amount.js';
import { methodHelp, type RpcMethod } from '../registry.js';

type Method = RpcMethod<RpcContext>;

/** Tally 0.1.0 in Core's CLIENT_VERSION encoding (10000 * major + 100 * minor + patch). */
export const CLIENT_VERSION = 100;
export const DEFAULT_SUBVERSION = '/Tally:0.1.0/';

/** Service bits by name (protocol.h ServiceFlags), for localservicesnames / servicesnames. */
const SERVICE_NAMES: readonly [bigint, string][] = [
  [1n, 'NETWORK'],
  [4n, 'BLOOM'],
  [8n, 'WITNESS'],
  [64n, 'COMPACT_FILTERS'],
  [1024n, 'NETWORK_LIMITED'],
  [2048n, 'P2P_V2'],
];

/** Core's GetServicesNames: known names, and UNKNOWN[2^n] for other bits. */
export function serviceNames(services: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0n; bit < 64n; bit++) {
    const flag = 1n << bit;
    if ((services & flag) === 0n) continue;
    names.push(SERVICE_NAMES.find(([f]) => f === flag)?.[1] ?? `UNKNOWN[${flag}]`);
  }
  return names;
}

const servicesHex = (services: bigint): string => services.toString(16).padStart(16, '0');

export const getconnectioncount: Method = {
  name: 'getconnectioncount',
  category: 'network',
  params: [],
  description: 'Returns the number of connections to other nodes.',
  result: 'n    (numeric) The connection count',
  examples: [''],
  handler: (ctx) => ensurePeers(ctx).connectionCount(),
};

export const getnetworkinfo: Method = {
  name: 'getnetworkinfo',
  category: 'network',
  params: [],
  description: 'Returns an object containing various state info regarding P2P networking.',
  result: `{ "version", "subversion", "protocolversion", "localservices", "localservicesnames", "localrelay",
  "timeoffset", "networkactive", "connections", "connections_in", "connections_out", "networks", "relayfee",
  "incrementalfee", "localaddresses", "warnings" }`,
  examples: [''],
  handler: (ctx) => {
    // Like bitcoind, this answers without a connection manager too, leaving out what only it knows.
    const local = ctx.peers?.localInfo();
    const info = ctx.mempool?.info();
    return {
      version: CLIENT_VERSION,
      subversion: ctx.subversion ?? DEFAULT_SUBVERSION,
      protocolversion: local?.protocolVersion ?? 70016,
      localservices: local === undefined ? undefined : servicesHex(local.localServices),
      localservicesnames: local === undefined ? undefined : serviceNames(local.localServices),
      localrelay: local?.localRelay ?? true,
      timeoffset: local?.timeOffset ?? 0,
      networkactive: local?.networkActive,
      connections: local === undefined ? undefined : local.connectionsIn + local.connectionsOut,
      connections_in: local?.connectionsIn,
      connections_out: local?.connectionsOut,
      networks: (local?.networks ?? []).map((n) => ({
        name: n.name,
        limited: n.limited,
        reachable: n.reachable,
        proxy: n.proxy,
        proxy_randomize_credentials: n.proxyRandomizeCredentials,
      })),
      relayfee: new Amount(info?.minrelaytxfee ?? DEFAULT_MIN_RELAY_TX_FEE),
      incrementalfee: new Amount(info?.incrementalrelayfee ?? DEFAULT_INCREMENTAL_RELAY_FEE),
      localaddresses: (local?.localAddresses ?? []).map((a) => ({
        address: a.address,
        port: a.port,
        score: a.score,
      })),
      warnings: [],
    };
  },
};

function peerJson(p: PeerSnapshot): Record<string, unknown> {
  return {
    id: p.id,
    addr: p.addr,
    addrlocal: p.addrLocal,
    network: p.network,
    services: servicesHex(p.services),
    servicesnames: serviceNames(p.services),
    relaytxes: p.relayTxes,
    lastsend: p.lastSend,
    lastrecv: p.lastRecv,
    last_transaction: p.lastTransaction,
    last_block: p.lastBlock,
    bytessent: p.bytesSent,
    bytesrecv: p.bytesRecv,
    conntime: p.connTime,
    timeoffset: p.timeOffset,
    pingtime: p.pingTime,
    minping: p.minPing,
    pingwait: p.pingWait,
    version: p.version,
    subver: p.subver,
    inbound: p.inbound,
    bip152_hb_to: p.bip152HbTo,
    bip152_hb_from: p.bip152HbFrom,
    startingheight: p.startingHeight,
    presynced_headers: p.presyncedHeaders,
    synced_headers: p.syncedHeaders,
    synced_blocks: p.syncedBlocks,
    inflight: [...p.inflight],
    addr_relay_enabled: p.addrRelayEnabled,
    addr_processed: p.addrProcessed,
    addr_rate_limited: p.addrRateLimited,
    permissions: [...p.permissions],
    minfeefilter: new Amount(p.minFeeFilter),
    bytessent_per_msg: { ...p.bytesSentPerMsg },
    bytesrecv_per_msg: { ...p.bytesRecvPerMsg },
    connection_type: p.connectionType,
    transport_protocol_type: p.transportProtocolType,
    session_id: p.sessionId,
  };
}

export const getpeerinfo: Method = {
  name: 'getpeerinfo',
  category: 'network',
  params: [],
  description: 'Returns data about each connected network peer as a json array of objects.',
  result: '[ { "id", "addr", "network", "services", "servicesnames", "relaytxes", ... }, ... ]',
  examples: [''],
  handler: (ctx) => ensurePeers(ctx).peers().map(peerJson),
};

export const addnode: Method = {
  name: 'addnode',
  category: 'network',
  params: [
    {
      name: 'node',
      type: 'string',
      required: true,
      description: 'The IP address/port of the peer to connect to',
    },
    {
      name: 'command',
      type: 'string',
      required: true,
      description:
        "'add' to add a node to the list, 'remove' to remove a node from the list, 'onetry' to try a connection to the node once",
    },
    {
      name: 'v2transport',
      type: 'boolean',
      defaultHint: 'set by -v2transport',
      description: "Attempt to connect using BIP324 v2 transport protocol (ignored for 'remove' command)",
    },
  ],
  description:
    'Attempts to add or remove a node from the addnode list.\n' +
    'Or try a connection to a node once.\n' +
    'Nodes added using addnode (or -connect) are protected from DoS disconnection and are not required to be\n' +
    'full nodes/support SegWit as other outbound peers are (though such peers will not be synced from).',
  result: 'null    (json null)',
  examples: ['"192.168.0.6:8333" "onetry"'],
  handler: (ctx, args) => {
    const node = args.str(0);
    const command = args.str(1);
    if (command !== 'add' && command !== 'remove' && command !== 'onetry') {
      // Core answers an unknown command with the method's help (a plain runtime error).
      throw new RpcError(RpcErrorCode.RPC_MISC_ERROR, methodHelp(addnode));
    }
    const peers = ensurePeers(ctx);
    if (command === 'onetry') {
      peers.connectOnce(node);
      return null;
    }
    if (peers.addNode(node, command)) return null;
    if (command === 'add')
      throw new RpcError(RpcErrorCode.RPC_CLIENT_NODE_ALREADY_ADDED, 'Error: Node already added');
    throw new RpcError(
      RpcErrorCode.RPC_CLIENT_NODE_NOT_ADDED,
      'Error: Node could not be removed. It has not been added previously.',
    );
  },
};

export const disconnectnode: Method = {
  name: 'disconnectnode',
  category: 'network',
  params: [
    {
      name: 'address',
      type: 'string',
      defaultHint: 'fallback to nodeid',
      description: 'The IP address/port of the node',
    },
    {
      name: 'nodeid',
      type: 'number',
      defaultHint: 'fallback to address',
      description: 'The node ID (see getpeerinfo for node IDs)',
    },
  ],
  description:
    'Immediately disconnects from the specified peer node.\n\n' +
    "Strictly one out of 'address' and 'nodeid' can be provided to identify the node.\n\n" +
    "To disconnect by nodeid, either set 'address' to the empty string, or call using the named 'nodeid' argument only.",
  result: 'null    (json null)',
  examples: ['"192.168.0.6:8333"', '"" 1'],
  handler: (ctx, args) => {
    const peers = ensurePeers(ctx);
    const address = args.raw(0);
    let ok: boolean;
    if (address !== null && args.isNull(1)) ok = peers.disconnect({ address: args.str(0) });
    else if (!args.isNull(1) && (address === null || address === ''))
      ok = peers.disconnect({ id: args.int64(1) });
    else
      throw new RpcError(
        RpcErrorCode.RPC_INVALID_PARAMS,
        'Only one of address and nodeid should be provided.',
      );
    if (!ok)
      throw new RpcError(RpcErrorCode.RPC_CLIENT_NODE_NOT_CONNECTED, 'Node not found in connected nodes');
    return null;
  },
};
