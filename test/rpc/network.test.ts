import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regtest } from '../../src/consensus/networks/regtest.js';
import type { PeerManagerApi, PeerSnapshot, RpcContext } from '../../src/rpc/context.js';
import { RpcError, RpcErrorCode as E } from '../../src/rpc/errors.js';
import { writeJson } from '../../src/rpc/json/write.js';
import { createRegistry } from '../../src/rpc/methods/index.js';
import { serviceNames } from '../../src/rpc/methods/network.js';

const PEER: PeerSnapshot = {
  id: 3,
  addr: '127.0.0.1:18444',
  network: 'not_publicly_routable',
  services: 0x409n,
  relayTxes: true,
  lastSend: 100,
  lastRecv: 101,
  lastTransaction: 0,
  lastBlock: 90,
  bytesSent: 1000,
  bytesRecv: 2000,
  connTime: 50,
  timeOffset: 0,
  pingTime: 0.001,
  minPing: 0.001,
  version: 70016,
  subver: '/Satoshi:28.0.0/',
  inbound: false,
  bip152HbTo: false,
  bip152HbFrom: false,
  startingHeight: 10,
  presyncedHeaders: -1,
  syncedHeaders: 10,
  syncedBlocks: 10,
  inflight: [],
  addrRelayEnabled: true,
  addrProcessed: 0,
  addrRateLimited: 0,
  permissions: [],
  minFeeFilter: 1000,
  bytesSentPerMsg: { ping: 32 },
  bytesRecvPerMsg: { pong: 32 },
  connectionType: 'manual',
  transportProtocolType: 'v1',
  sessionId: '',
};

/** An in-memory peer manager: one connected peer, an addnode list. */
class FakePeers implements PeerManagerApi {
  readonly added = new Set<string>();
  readonly tried: string[] = [];
  connected = [PEER];
  connectionCount(): number {
    return this.connected.length;
  }
  peers(): readonly PeerSnapshot[] {
    return this.connected;
  }
  localInfo() {
    return {
      protocolVersion: 70016,
      localServices: 0xc09n,
      localRelay: true,
      timeOffset: 0,
      networkActive: true,
      connectionsIn: 0,
      connectionsOut: this.connected.length,
      networks: [
        { name: 'ipv4', limited: false, reachable: true, proxy: '', proxyRandomizeCredentials: false },
      ],
      localAddresses: [],
    };
  }
  addNode(address: string, command: 'add' | 'remove'): boolean {
    if (command === 'add') {
      if (this.added.has(address)) return false;
      this.added.add(address);
      return true;
    }
    return this.added.delete(address);
  }
  connectOnce(address: string): void {
    this.tried.push(address);
  }
  disconnect(target: { address: string } | { id: number }): boolean {
    const before = this.connected.length;
    this.connected = this.connected.filter((p) =>
      'id' in target ? p.id !== target.id : p.addr !== target.address,
    );
    return this.connected.length < before;
  }
}

const registry = createRegistry();
function caller(peers?: PeerManagerApi) {
  const ctx: RpcContext = {
    network: regtest,
    startTime: 0,
    now: () => 0,
    ...(peers !== undefined && { peers }),
  };
  return (method: string, params: unknown[] | Record<string, unknown> = []) =>
    registry.execute(ctx, method, params, { user: undefined, wallet: undefined, uri: '/' });
}

async function fails(p: Promise<unknown>, code: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof RpcError);
    assert.equal(err.code, code, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message !== undefined) assert.match(err.message, message);
    return true;
  });
}

describe('network RPCs', () => {
  it('without P2P: RPC_CLIENT_P2P_DISABLED, and getnetworkinfo still answers', async () => {
    const call = caller();
    for (const method of ['getconnectioncount', 'getpeerinfo']) {
      await fails(
        call(method),
        E.RPC_CLIENT_P2P_DISABLED,
        'Error: Peer-to-peer functionality missing or disabled',
      );
    }
    await fails(call('addnode', ['1.2.3.4', 'add']), E.RPC_CLIENT_P2P_DISABLED);
    const info = (await call('getnetworkinfo')) as Record<string, unknown>;
    assert.equal(info.subversion, '/Tally:0.1.0/');
    assert.equal(info.connections, undefined);
    assert.equal(writeJson(info.relayfee), '0.00001000');
  });

  it('reports peers through the PeerManagerApi in bitcoind shapes', async () => {
    const call = caller(new FakePeers());
    assert.equal(await call('getconnectioncount'), 1);
    const [peer] = (await call('getpeerinfo')) as Record<string, unknown>[];
    assert.equal(peer!.services, '0000000000000409');
    assert.deepEqual(peer!.servicesnames, ['NETWORK', 'WITNESS', 'NETWORK_LIMITED']);
    assert.equal(peer!.addrlocal, undefined);
    assert.equal(writeJson(peer!.minfeefilter), '0.00001000');
    const info = (await call('getnetworkinfo')) as Record<string, unknown>;
    assert.equal(info.localservices, '0000000000000c09');
    assert.deepEqual(info.localservicesnames, ['NETWORK', 'WITNESS', 'NETWORK_LIMITED', 'P2P_V2']);
    assert.equal(info.connections, 1);
    assert.deepEqual(serviceNames(1n << 40n), ['UNKNOWN[1099511627776]']);
  });

  it('addnode and disconnectnode with bitcoind errors', async () => {
    const peers = new FakePeers();
    const call = caller(peers);
    assert.equal(await call('addnode', ['10.0.0.1:18444', 'add']), null);
    await fails(
      call('addnode', ['10.0.0.1:18444', 'add']),
      E.RPC_CLIENT_NODE_ALREADY_ADDED,
      'Error: Node already added',
    );
    assert.equal(await call('addnode', ['10.0.0.1:18444', 'remove']), null);
    await fails(
      call('addnode', ['10.0.0.1:18444', 'remove']),
      E.RPC_CLIENT_NODE_NOT_ADDED,
      'Error: Node could not be removed. It has not been added previously.',
    );
    assert.equal(await call('addnode', ['10.0.0.2', 'onetry']), null);
    assert.deepEqual(peers.tried, ['10.0.0.2']);
    await fails(
      call('addnode', ['10.0.0.2', 'sometimes']),
      E.RPC_MISC_ERROR,
      /^addnode "node" "command" \( v2transport \)/,
    );
    await fails(
      call('disconnectnode', ['1.1.1.1:1', 3]),
      E.RPC_INVALID_PARAMS,
      'Only one of address and nodeid should be provided.',
    );
    await fails(call('disconnectnode', []), E.RPC_INVALID_PARAMS);
    await fails(
      call('disconnectnode', ['9.9.9.9:1']),
      E.RPC_CLIENT_NODE_NOT_CONNECTED,
      'Node not found in connected nodes',
    );
    assert.equal(await call('disconnectnode', { nodeid: 3 }), null);
    assert.equal(await call('getconnectioncount'), 0);
  });
});
