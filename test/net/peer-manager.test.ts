/**
 * The peer manager's connection handling and its RPC surface: addnode / disconnectnode /
 * getpeerinfo / getconnectioncount / getnetworkinfo, self-connection detection, discouragement,
 * inbound limits, peers.dat, and the outbound dialer's choices.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AddrMan } from '../../src/net/addrman.js';
import { type DialTarget, OutboundDialer, parseDialTarget } from '../../src/net/outbound-dialer.js';
import type { PeerManager } from '../../src/net/peer-manager.js';
import { peersFilePath } from '../../src/net/peers-file.js';
import { ipv4 } from '../../src/net/wire/net-address.js';
import type { PeerManagerApi } from '../../src/rpc/context.js';
import { TestChain } from '../support/test-chain.js';
import { RawPeer } from './raw-peer.js';
import { TestNode, stopAll, waitFor } from './test-node.js';

const raws: RawPeer[] = [];
after(async () => {
  for (const r of raws) r.destroy();
  await stopAll();
});

// The RPC server takes the peer manager as its PeerManagerApi without an adapter.
const _rpcCompatible = (p: PeerManager): PeerManagerApi => p;
void _rpcCompatible;

describe('PeerManager', () => {
  it('addnode add/remove/onetry, disconnectnode by id and address, counts and peer info', async () => {
    const a = await TestNode.start('a');
    const b = await TestNode.start('b');
    assert.equal(b.peers.addNode(a.addr, 'add'), true);
    assert.equal(b.peers.addNode(a.addr, 'add'), false, 'already added');
    assert.equal(b.peers.addNode('not an address!', 'add'), false);
    await waitFor('connected', () => b.peers.getPeerInfo().some((p) => p.version === 70016));
    await waitFor('a sees b', () => a.peers.getPeerInfo().some((p) => p.version === 70016));
    const [out] = b.peers.getPeerInfo();
    assert.equal(out!.addr, a.addr);
    assert.equal(out!.inbound, false);
    assert.equal(out!.connectionType, 'manual');
    assert.equal(out!.network, 'not_publicly_routable');
    assert.equal(out!.services, 9n);
    assert.equal(out!.relayTxes, true);
    assert.equal(out!.startingHeight, 0);
    await waitFor('a ping measured', () => (b.peers.getPeerInfo()[0]?.pingTime ?? -1) >= 0);
    assert.equal(a.peers.connectionCount(), 1);
    assert.deepEqual([a.peers.networkInfo().connectionsIn, a.peers.networkInfo().connectionsOut], [1, 0]);
    assert.equal(a.peers.networkInfo().protocolVersion, 70016);

    // disconnectnode by id: the added node is dialled again.
    const firstId = out!.id;
    assert.equal(b.peers.disconnectNode(firstId), true);
    assert.equal(b.peers.disconnectNode(firstId), false, 'gone');
    await waitFor('reconnected', () => b.peers.getPeerInfo().some((p) => p.id !== firstId && p.version > 0));

    // Removed from the list, then disconnected by address: it stays away.
    assert.equal(b.peers.addNode(a.addr, 'remove'), true);
    assert.equal(b.peers.addNode(a.addr, 'remove'), false);
    assert.equal(b.peers.disconnect({ address: a.addr }), true);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(b.peers.connectionCount(), 0);

    // onetry: one connection, not remembered.
    assert.equal(b.peers.addNode(a.addr, 'onetry'), true);
    await waitFor('onetry connects', () => b.peers.connectionCount() === 1);
    assert.equal(b.peers.disconnectNode(a.addr), true);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(b.peers.connectionCount(), 0);
  });

  it('a connection to ourselves is detected by the version nonce and dropped', async () => {
    const self = await TestNode.start('self');
    const closed: string[] = [];
    self.peers.on('peer-disconnected', (e) => closed.push(e.cause.kind));
    self.peers.addNode(self.addr, 'onetry');
    await waitFor('both ends closed', () => closed.length === 2);
    assert.equal(self.peers.connectionCount(), 0);
    const p = self.penalties.find((e) => e.input.kind === 'protocol');
    assert.deepEqual(p?.input, { kind: 'protocol', code: 'self-connection' });
    assert.equal(p?.action.action, 'disconnect');
  });

  it('a discouraged host is refused until the discouragement expires', async () => {
    let now = 1_800_000_000;
    const tc = new TestChain();
    const node = await TestNode.start('strict', {
      discourageLocal: true,
      discourageSeconds: 3600,
      now: () => now,
    });
    await node.mine(tc.mine(3));
    const bad = await RawPeer.connect(node.port);
    raws.push(bad);
    await bad.handshake();
    bad.send({ command: 'block', block: tc.withBadPoW(tc.block()) });
    await bad.until('disconnected', () => bad.closed, 3_000);
    assert.deepEqual(
      node.peers.discouragedHosts().map((d) => d.host),
      ['127.0.0.1'],
    );
    assert.ok(node.peers.isDiscouraged('127.0.0.1'));

    const again = await RawPeer.connect(node.port);
    raws.push(again);
    await again.until('refused at once', () => again.closed, 3_000);
    assert.equal(again.received.length, 0);

    now += 3601;
    assert.equal(node.peers.isDiscouraged('127.0.0.1'), false);
    const later = await RawPeer.connect(node.port);
    raws.push(later);
    await later.handshake();
    assert.ok(!later.closed);
  });

  it('refuses inbound connections beyond maxInbound', async () => {
    const node = await TestNode.start('small', { maxInbound: 1 });
    const first = await RawPeer.connect(node.port);
    raws.push(first);
    await first.handshake();
    const second = await RawPeer.connect(node.port);
    raws.push(second);
    await second.until('refused', () => second.closed, 3_000);
    assert.ok(!first.closed);
    assert.equal(node.peers.connectionCount(), 1);
  });

  it('saves peers.dat in the data directory on stop, and loads it on start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-peers-'));
    try {
      const node = await TestNode.start('persist', { dataDir: dir });
      const path = peersFilePath(dir, node.chain.network);
      assert.equal(path, join(dir, 'regtest', 'peers.dat'));
      await node.stop();
      assert.ok(existsSync(path));
      const again = await TestNode.start('persist-again', { dataDir: dir });
      await again.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OutboundDialer', () => {
  function setup(connectOnly: boolean, busy = new Set<string>(), busyWhileDialled = true) {
    let now = 0;
    const dialled: DialTarget[] = [];
    // A fixed-seed linear congruential generator: random draws, repeatable runs.
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const addrman = new AddrMan({ random });
    for (let i = 1; i <= 20; i++) addrman.addManual(ipv4(10 + i, 1, 2, 3, 8333));
    const dialer = new OutboundDialer(
      { connectOnly, maxOutbound: 3, defaultPort: 18444, retryMs: 1_000, maxRetryMs: 4_000 },
      {
        addrman,
        isBusy: (key) => busy.has(key) || (busyWhileDialled && dialled.some((d) => d.key === key)),
        isDiscouraged: (host) => host === '11.1.2.3',
        isSelf: () => false,
        automaticOutbound: () => dialled.filter((d) => d.type === 'outbound-full-relay').length,
        dial: (t) => dialled.push(t),
        nowMs: () => now,
      },
    );
    return { dialer, dialled, setNow: (ms: number) => (now = ms) };
  }

  it('-connect dials only the given nodes, retrying with a doubling delay', () => {
    const { dialer, dialled, setNow } = setup(true, new Set(), false);
    assert.ok(dialer.add('127.0.0.1:18555'));
    dialer.tick();
    dialer.tick();
    assert.deepEqual(
      dialled.map((d) => d.key),
      ['127.0.0.1:18555'],
    );
    setNow(1_000);
    dialer.tick();
    setNow(2_500);
    dialer.tick();
    assert.equal(dialled.length, 2, 'second retry waits 2 s');
    setNow(3_000);
    dialer.tick();
    assert.equal(dialled.length, 3);
  });

  it('without -connect, fills the outbound slots from addrman, skipping discouraged hosts', () => {
    const { dialer, dialled } = setup(false);
    dialer.tick();
    const auto = dialled.filter((d) => d.type === 'outbound-full-relay');
    assert.equal(auto.length, 3);
    assert.ok(auto.every((d) => d.host !== '11.1.2.3'));
    assert.equal(new Set(auto.map((d) => d.key)).size, 3);
  });

  it('parses IPv4, IPv6 and host names with default ports', () => {
    assert.equal(parseDialTarget('1.2.3.4', 8333, 'manual')?.key, '1.2.3.4:8333');
    assert.equal(parseDialTarget('[::1]:18444', 8333, 'manual')?.key, '[::1]:18444');
    assert.equal(parseDialTarget('[::1]:18444', 8333, 'manual')?.host, '::1');
    assert.equal(parseDialTarget('Node.Example:9', 8333, 'manual')?.key, 'node.example:9');
    assert.equal(parseDialTarget('bad host', 8333, 'manual'), undefined);
    assert.equal(parseDialTarget('1.2.3.4:99999', 8333, 'manual'), undefined);
  });
});
