/**
 * A hostile peer speaking the wire protocol by hand (RawPeer) against a full node: invalid blocks,
 * invalid transactions, bad headers and malformed messages. Each is refused with Core's reason,
 * the peer gets penaltyFor's action, the node keeps running and its tip does not move.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BlockValidationResult, TxValidationResult } from '../../src/consensus/errors.js';
import type { PenaltyEvent } from '../../src/net/peer-manager.js';
import { MAX_PROTOCOL_MESSAGE_LENGTH } from '../../src/net/wire/constants.js';
import { frameMessage } from '../../src/net/wire/framing.js';
import { encodeMessage, serializeMessage } from '../../src/net/wire/message.js';
import type { Block } from '../../src/primitives/block.js';
import { type SpendableOutput, TestChain, TestKey } from '../support/test-chain.js';
import { MAGIC, RawPeer } from './raw-peer.js';
import { TestNode, sameTip, stopAll, waitFor } from './test-node.js';

describe('a misbehaving peer', () => {
  const tc = new TestChain();
  let node: TestNode;
  let tipBlock: Block;
  let coins: SpendableOutput[];
  const raws: RawPeer[] = [];
  let coinIndex = 0;

  before(async () => {
    const blocks = tc.mine(110);
    tipBlock = blocks[blocks.length - 1]!;
    coins = blocks.slice(0, 10).map((b) => tc.coinbaseOutput(b));
    node = await TestNode.start('victim');
    await node.mine(blocks);
  });
  after(async () => {
    for (const r of raws) r.destroy();
    await stopAll();
  });

  const coin = (): SpendableOutput => coins[coinIndex++]!;

  async function connected(): Promise<RawPeer> {
    const raw = await RawPeer.connect(node.port);
    raws.push(raw);
    await raw.handshake();
    return raw;
  }

  /** Sends `send()`'s data and returns the node's first penalty decision after it. */
  async function verdict(send: () => void): Promise<PenaltyEvent> {
    const seen = node.penalties.length;
    send();
    await waitFor('a penalty decision', () => node.penalties.length > seen, 5_000);
    return node.penalties[seen]!;
  }

  /** The peer is still connected: a ping is answered. */
  async function stillConnected(raw: RawPeer): Promise<void> {
    const nonce = BigInt(Math.floor(Math.random() * 1e9)) + 1n;
    raw.send({ command: 'ping', nonce });
    await raw.until('pong', () => raw.received.some((m) => m.command === 'pong' && m.nonce === nonce), 3_000);
    assert.ok(!raw.closed);
  }

  async function assertDisconnected(raw: RawPeer): Promise<void> {
    await raw.until('disconnect', () => raw.closed, 3_000);
  }

  const invalidBlocks: [string, () => Block, string, string][] = [
    [
      'bad Merkle root',
      () => tc.withBadMerkleRoot(tc.block({ parent: tipBlock })),
      'bad-txnmrklroot',
      BlockValidationResult.MUTATED,
    ],
    [
      'bad proof of work',
      () => tc.withBadPoW(tc.block({ parent: tipBlock })),
      'high-hash',
      BlockValidationResult.INVALID_HEADER,
    ],
    [
      'bad signature',
      () => tc.block({ parent: tipBlock, txs: [tc.withBadSignature(tc.spend([coin()]))] }),
      'mandatory-script-verify-flag-failed',
      BlockValidationResult.CONSENSUS,
    ],
    [
      'overspend',
      () => {
        const c = coin();
        return tc.block({ parent: tipBlock, txs: [tc.spend([c], { outputs: [{ value: c.value + 1 }] })] });
      },
      'bad-txns-in-belowout',
      BlockValidationResult.CONSENSUS,
    ],
    [
      'bad coinbase height',
      () => tc.block({ parent: tipBlock, coinbaseHeight: 500 }),
      'bad-cb-height',
      BlockValidationResult.CONSENSUS,
    ],
  ];

  for (const [name, make, reason, result] of invalidBlocks) {
    it(`an invalid block (${name}) is refused with ${reason}; the peer is discouraged`, async () => {
      const tip = node.chain.tip;
      const raw = await connected();
      const block = make();
      const v = await verdict(() => raw.send({ command: 'block', block }));
      assert.equal(v.input.kind, 'block');
      assert.ok(v.reason.startsWith(reason), `${v.reason} should start with ${reason}`);
      assert.equal(v.input.kind === 'block' ? v.input.result : undefined, result);
      assert.equal(v.action.action, 'discourage');
      await assertDisconnected(raw);
      assert.equal(node.chain.tip, tip, 'the tip did not move');
      // Refused before storing (header, Merkle root) or stored and marked failed (scripts, amounts).
      const entry = node.chain.getEntry(block.hash());
      assert.ok(entry === undefined || entry.isFailed() || !entry.hasData());
    });
  }

  it('a block already known invalid costs an inbound peer nothing (Core: it may be an old node)', async () => {
    const c = coin();
    const block = tc.block({ parent: tipBlock, txs: [tc.spend([c], { outputs: [{ value: c.value + 1 }] })] });
    const first = await connected();
    let v = await verdict(() => first.send({ command: 'block', block }));
    assert.equal(v.action.action, 'discourage');
    const second = await connected();
    v = await verdict(() => second.send({ command: 'block', block }));
    assert.equal(v.reason, 'duplicate-invalid');
    assert.deepEqual(v.input, { kind: 'block', result: BlockValidationResult.CACHED_INVALID, inbound: true });
    assert.equal(v.action.action, 'none');
    await stillConnected(second);
  });

  it('headers with bad proof of work or that do not connect are refused; the peer is discouraged', async () => {
    const bad = tc.withBadPoW(tc.block({ parent: tipBlock }));
    let raw = await connected();
    let v = await verdict(() => raw.send({ command: 'headers', headers: [bad.header] }));
    assert.equal(v.reason, 'high-hash');
    assert.equal(v.action.action, 'discourage');
    await assertDisconnected(raw);

    // Nine headers (more than a BIP130 announcement) whose first parent is unknown. Another key:
    // the same key would rebuild the very blocks the node has (TestChain is deterministic).
    const lone = new TestChain({ key: TestKey.fromSeed('stray') });
    lone.mine(5);
    const stray = lone.mine(9).map((b) => b.header);
    raw = await connected();
    v = await verdict(() => raw.send({ command: 'headers', headers: stray }));
    assert.equal(v.reason, 'prev-blk-not-found');
    assert.equal(v.action.action, 'discourage');
    await assertDisconnected(raw);
  });

  it('an announcement of up to 8 headers that does not connect is answered with getheaders, unpunished', async () => {
    const lone = new TestChain({ key: TestKey.fromSeed('announce') });
    lone.mine(3);
    const raw = await connected();
    await raw.waitFor('getheaders');
    const seen = node.penalties.length;
    const asked = raw.received.filter((m) => m.command === 'getheaders').length;
    raw.send({ command: 'headers', headers: lone.mine(2).map((b) => b.header) });
    await raw.until(
      'getheaders',
      () => raw.received.filter((m) => m.command === 'getheaders').length > asked,
    );
    await stillConnected(raw);
    assert.equal(node.penalties.length, seen);
  });

  it('a transaction invalid by consensus is refused and its sender discouraged', async () => {
    const c = coin();
    const overspend = tc.spend([c], { outputs: [{ value: c.value + 1 }] });
    let raw = await connected();
    let v = await verdict(() => raw.send({ command: 'tx', tx: overspend }));
    assert.equal(v.reason, 'bad-txns-in-belowout');
    assert.deepEqual(v.input, { kind: 'tx', result: TxValidationResult.CONSENSUS });
    assert.equal(v.action.action, 'discourage');
    await assertDisconnected(raw);

    const badSig = tc.withBadSignature(tc.spend([coin()]));
    raw = await connected();
    v = await verdict(() => raw.send({ command: 'tx', tx: badSig }));
    assert.match(v.reason, /^mandatory-script-verify-flag-failed/);
    assert.equal(v.action.action, 'discourage');
    await assertDisconnected(raw);
    assert.equal(node.mempool.size, 0);
  });

  it('a non-standard transaction is refused without punishing the peer', async () => {
    const dust = tc.spend([coin()], { outputs: [{ value: 100 }] });
    const raw = await connected();
    const v = await verdict(() => raw.send({ command: 'tx', tx: dust }));
    assert.equal(v.reason, 'dust');
    assert.equal(v.action.action, 'none');
    await stillConnected(raw);
  });

  it('a bad checksum, a truncated or a garbage payload drop the message only', async () => {
    const raw = await connected();
    const ping = serializeMessage(MAGIC, { command: 'ping', nonce: 7n });
    ping[20]! ^= 0xff;
    let v = await verdict(() => raw.sendRaw(ping));
    assert.deepEqual(v.input, { kind: 'wire', code: 'bad-checksum', command: 'ping' });
    assert.equal(v.action.action, 'none');

    const tx = encodeMessage({ command: 'tx', tx: tc.spend([coin()]) });
    v = await verdict(() => raw.sendRaw(frameMessage(MAGIC, 'tx', tx.subarray(0, tx.length - 5))));
    assert.deepEqual(v.input, { kind: 'wire', code: 'malformed-payload', command: 'tx' });
    assert.equal(v.action.action, 'none');

    const garbage = Uint8Array.of(0x05, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    v = await verdict(() => raw.sendRaw(frameMessage(MAGIC, 'headers', garbage)));
    assert.deepEqual(v.input, { kind: 'wire', code: 'malformed-payload', command: 'headers' });
    assert.equal(v.action.action, 'none');
    await stillConnected(raw);
  });

  it('too many headers in one message is discouraged', async () => {
    const raw = await connected();
    const headers = Array.from({ length: 2001 }, () => tipBlock.header);
    const payload = encodeMessage({ command: 'headers', headers });
    const v = await verdict(() => raw.sendRaw(frameMessage(MAGIC, 'headers', payload)));
    assert.deepEqual(v.input, { kind: 'wire', code: 'too-many-items', command: 'headers' });
    assert.equal(v.action.action, 'discourage');
    await assertDisconnected(raw);
  });

  it('a bad magic or an oversized length ends the connection', async () => {
    let raw = await connected();
    const wrong = serializeMessage([1, 2, 3, 4], { command: 'ping', nonce: 1n });
    let v = await verdict(() => raw.sendRaw(wrong));
    assert.deepEqual(v.input, { kind: 'wire', code: 'bad-magic', command: undefined });
    assert.equal(v.action.action, 'disconnect');
    await assertDisconnected(raw);

    raw = await connected();
    const header = frameMessage(MAGIC, 'block', new Uint8Array(0)).subarray(0, 24);
    new DataView(header.buffer, header.byteOffset).setUint32(16, MAX_PROTOCOL_MESSAGE_LENGTH + 1, true);
    v = await verdict(() => raw.sendRaw(header));
    assert.equal(v.input.kind === 'wire' ? v.input.code : '', 'oversized');
    assert.equal(v.action.action, 'disconnect');
    await assertDisconnected(raw);
  });

  it('a message before version is discouraged', async () => {
    const raw = await RawPeer.connect(node.port);
    raws.push(raw);
    const v = await verdict(() => raw.send({ command: 'ping', nonce: 1n }));
    assert.deepEqual(v.input, { kind: 'protocol', code: 'no-version-first' });
    assert.equal(v.action.action, 'discourage');
    await assertDisconnected(raw);
  });

  it('after all of it the node still serves an honest peer the same chain', async () => {
    assert.equal(node.chain.height, 110);
    assert.equal(node.chain.tip.key, node.chain.getEntry(tipBlock.hash())!.key);
    const honest = await TestNode.start('honest', { connect: [node.addr] });
    await waitFor('honest peer syncs', () => sameTip(node, honest));
    // Loopback peers are disconnected but never discouraged (Core: they share one address).
    assert.deepEqual(node.peers.discouragedHosts(), []);
  });
});
