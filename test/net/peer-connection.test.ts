import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { buildGenesisBlock } from '../../src/consensus/genesis.js';
import { BlockValidationResult } from '../../src/consensus/errors.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { Block } from '../../src/primitives/block.js';
import { PeerConnection } from '../../src/net/peer-connection.js';
import { ServiceFlags } from '../../src/net/wire/constants.js';
import { frameMessage } from '../../src/net/wire/framing.js';
import { serializeMessage } from '../../src/net/wire/message.js';
import { readShared } from '../support/shared.js';
import { LOCAL, MAGIC, RawPeer, startServer, type TestServer, track, withTimeout } from './raw-peer.js';

const servers: TestServer[] = [];
const raws: RawPeer[] = [];
const conns: PeerConnection[] = [];
after(async () => {
  for (const r of raws) r.destroy();
  for (const c of conns) c.disconnect('test over');
  for (const s of servers) await s.close();
});

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  servers.push(s);
  return s;
}

async function raw(port: number): Promise<RawPeer> {
  const r = await RawPeer.connect(port);
  raws.push(r);
  return r;
}

async function outbound(port: number, options: Partial<Parameters<typeof PeerConnection.connect>[2]> = {}) {
  const c = await PeerConnection.connect('127.0.0.1', port, { magic: MAGIC, local: LOCAL, ...options });
  conns.push(c);
  return track(c);
}

const T = 3_000;

/** Polls a condition every 5 ms, for at most T. */
async function waitUntil(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + T;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('PeerConnection over loopback', () => {
  it('two connections complete the version/verack handshake with BIP339 and BIP155 negotiated', async () => {
    const s = await server();
    const client = await outbound(s.port);
    const inbound = await s.next();
    const [a, b] = await withTimeout(Promise.all([client.ready, inbound.ready]), T, 'handshake');
    assert.equal(a.version.userAgent, '/Tally:test/');
    assert.equal(b.version.userAgent, '/Tally:test/');
    assert.equal(a.commonVersion, 70016);
    assert.ok(a.wtxidRelay && b.wtxidRelay && a.sendAddrV2 && b.sendAddrV2);
    assert.equal(a.version.services, ServiceFlags.NETWORK | ServiceFlags.WITNESS);
    assert.ok(!client.peer.inbound && inbound.peer.inbound);
    assert.notEqual(a.version.nonce, b.version.nonce);
  });

  it('pings are answered, latency is measured, and a block crosses intact', async () => {
    const s = await server();
    const client = await outbound(s.port);
    const inbound = await s.next();
    await withTimeout(Promise.all([client.ready, inbound.ready]), T, 'handshake');
    // Both sides ping as soon as the handshake completes.
    await waitUntil(
      'the first pongs',
      () => client.peer.pings.lastMs !== undefined && inbound.peer.pings.lastMs !== undefined,
    );
    const pong = once(client.peer, 'pong');
    assert.ok(client.peer.ping());
    assert.ok(!client.peer.ping(), 'one ping at a time');
    const [latency] = (await withTimeout(pong, T, 'pong')) as [number];
    assert.ok(latency >= 0 && latency < T);
    assert.equal(client.peer.pings.lastMs, latency);

    const genesis = buildGenesisBlock(regtest);
    const big = Block.decode(readShared('blocks', 'mainnet', 'block300025.raw'));
    client.peer.send({ command: 'block', block: genesis });
    client.peer.send({ command: 'block', block: big });
    await waitUntil('two blocks', () => inbound.messages.filter((m) => m.command === 'block').length === 2);
    const blocks = inbound.messages.filter((m) => m.command === 'block');
    assert.ok(blocks[0]?.command === 'block' && blocks[0].block.hashHex() === regtest.genesis.hash);
    assert.ok(blocks[1]?.command === 'block' && blocks[1].block.hashHex() === big.hashHex());
    assert.ok(client.peer.bytesSent > 284_000 && inbound.peer.bytesReceived === client.peer.bytesSent);
  });

  it('a peer sending garbage is disconnected (bad magic), without discouragement', async () => {
    const s = await server();
    const r = await raw(s.port);
    const inbound = await s.next();
    r.sendRaw(Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff));
    const info = await withTimeout(inbound.closed, T, 'close');
    assert.equal(info.cause.kind, 'wire');
    assert.ok(info.cause.kind === 'wire' && info.cause.error.code === 'bad-magic');
    assert.equal(info.action.action, 'disconnect');
    await r.until('socket close', () => r.closed);
  });

  it('an oversized header is refused before its payload arrives', async () => {
    const s = await server();
    const r = await raw(s.port);
    const inbound = await s.next();
    const header = frameMessage(MAGIC, 'block', new Uint8Array(0)).subarray(0, 24);
    new DataView(header.buffer, header.byteOffset).setUint32(16, 4_000_001, true);
    r.sendRaw(header);
    const info = await withTimeout(inbound.closed, T, 'close');
    assert.ok(info.cause.kind === 'wire' && info.cause.error.code === 'oversized');
    assert.equal(info.action.action, 'disconnect');
  });

  it('a message before version is discouraged', async () => {
    const s = await server();
    const r = await raw(s.port);
    const inbound = await s.next();
    r.send({ command: 'ping', nonce: 1n });
    const info = await withTimeout(inbound.closed, T, 'close');
    assert.deepEqual(info.cause, { kind: 'protocol', code: 'no-version-first' });
    assert.equal(info.action.action, 'discourage');
  });

  it('an over-long inv is discouraged; a bad checksum is only dropped', async () => {
    const s = await server();
    const r = await raw(s.port);
    const inbound = await s.next();
    await r.handshake();
    await withTimeout(inbound.ready, T, 'ready');
    const dropped = once(inbound.peer, 'dropped');
    const bad = serializeMessage(MAGIC, { command: 'ping', nonce: 5n });
    bad[23]! ^= 1;
    r.sendRaw(bad);
    await withTimeout(dropped, T, 'dropped');
    r.send({ command: 'ping', nonce: 6n });
    await r.until('pong 6', () => r.received.some((m) => m.command === 'pong' && m.nonce === 6n));
    assert.ok(!inbound.peer.isClosed);
    const items = Array.from({ length: 50_001 }, () => ({ type: 1, hash: new Uint8Array(32) }));
    r.send({ command: 'inv', items });
    const info = await withTimeout(inbound.closed, T, 'close');
    assert.ok(info.cause.kind === 'wire' && info.cause.error.code === 'too-many-items');
    assert.equal(info.action.action, 'discourage');
  });

  it('unknown commands after the handshake are reported and ignored', async () => {
    const s = await server();
    const r = await raw(s.port);
    const inbound = await s.next();
    await r.handshake();
    await withTimeout(inbound.ready, T, 'ready');
    const unknown = once(inbound.peer, 'unknown');
    r.sendRaw(frameMessage(MAGIC, 'reject', Uint8Array.of(1, 2, 3)));
    const [command] = (await withTimeout(unknown, T, 'unknown')) as [string];
    assert.equal(command, 'reject');
    assert.ok(!inbound.peer.isClosed);
  });

  it('handshake timeout, obsolete version, self-connection and late negotiation disconnect', async () => {
    const quiet = await server({ handshakeTimeoutMs: 100 });
    await raw(quiet.port);
    const silent = await quiet.next();
    assert.deepEqual((await withTimeout(silent.closed, T, 'timeout')).cause, {
      kind: 'protocol',
      code: 'handshake-timeout',
    });

    const strict = await server({ minPeerVersion: 70016 });
    const old = await raw(strict.port);
    const oldIn = await strict.next();
    old.send(old.version({ version: 70015 }));
    assert.deepEqual((await withTimeout(oldIn.closed, T, 'obsolete')).cause, {
      kind: 'protocol',
      code: 'obsolete-version',
    });

    const self = await server({ isOwnNonce: (n) => n === 777n });
    const mirror = await raw(self.port);
    const selfIn = await self.next();
    mirror.send(mirror.version({ nonce: 777n }));
    assert.deepEqual((await withTimeout(selfIn.closed, T, 'self')).cause, {
      kind: 'protocol',
      code: 'self-connection',
    });

    const s = await server();
    const late = await raw(s.port);
    const lateIn = await s.next();
    await late.handshake();
    await withTimeout(lateIn.ready, T, 'ready');
    late.send({ command: 'wtxidrelay' });
    const info = await withTimeout(lateIn.closed, T, 'late');
    assert.deepEqual(info.cause, { kind: 'protocol', code: 'late-negotiation' });
    assert.equal(info.action.action, 'disconnect');
  });

  it('an outbound peer without the required services is dropped', async () => {
    const s = await server({ local: { ...LOCAL, services: 0n } });
    const client = await outbound(s.port, { requiredServices: ServiceFlags.NETWORK | ServiceFlags.WITNESS });
    const info = await withTimeout(client.closed, T, 'close');
    assert.deepEqual(info.cause, { kind: 'protocol', code: 'missing-services' });
  });

  it('a peer that never answers pings is disconnected', async () => {
    const s = await server({ pingIntervalMs: 40, pingTimeoutMs: 150 });
    const r = await raw(s.port);
    const inbound = await s.next();
    await r.handshake();
    await withTimeout(inbound.ready, T, 'ready');
    await r.waitFor('ping');
    const info = await withTimeout(inbound.closed, T, 'ping timeout');
    assert.deepEqual(info.cause, { kind: 'protocol', code: 'ping-timeout' });
  });

  it('punish() applies the penalty decision and reports it', async () => {
    const s = await server();
    const r = await raw(s.port);
    const inbound = await s.next();
    await r.handshake();
    await withTimeout(inbound.ready, T, 'ready');
    assert.equal(
      inbound.peer.punish({ kind: 'block', result: BlockValidationResult.TIME_FUTURE }).action,
      'none',
    );
    assert.ok(!inbound.peer.isClosed);
    const action = inbound.peer.punish({ kind: 'block', result: BlockValidationResult.MUTATED });
    assert.equal(action.action, 'discourage');
    const info = await withTimeout(inbound.closed, T, 'close');
    assert.equal(info.cause.kind, 'penalty');
    assert.equal(info.action, action);
  });

  it('back-pressure: pauses at the soft limit, resumes on drain, disconnects at the hard limit', async () => {
    const s = await server({
      maxSendBufferBytes: 200_000,
      maxSendQueueBytes: 3_000_000,
      handshakeTimeoutMs: 10_000,
    });
    const r = await raw(s.port);
    const inbound = await s.next();
    r.socket.pause(); // a peer that does not read
    const payload = {
      command: 'block' as const,
      block: Block.decode(readShared('blocks', 'mainnet', 'block300025.raw')),
    };
    let sends = 0;
    while (inbound.peer.send(payload) && sends < 500) sends++;
    assert.ok(sends < 500, 'the soft limit was reached');
    assert.ok(!inbound.peer.isClosed);
    assert.ok(inbound.peer.sendQueueBytes >= 200_000);
    const drained = once(inbound.peer, 'drain');
    r.socket.resume();
    await withTimeout(drained, T, 'drain');
    assert.ok(inbound.peer.send({ command: 'ping', nonce: 1n }));

    r.socket.pause();
    let extra = 0;
    while (!inbound.peer.isClosed && extra < 500) {
      inbound.peer.send(payload);
      extra++;
    }
    const info = await withTimeout(inbound.closed, T, 'overflow');
    assert.deepEqual(info.cause, { kind: 'protocol', code: 'send-buffer-overflow' });
    assert.ok(!inbound.peer.send(payload), 'a closed connection sends nothing');
  });
});
