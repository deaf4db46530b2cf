/**
 * The explorer API's OpenAPI 3.1 description, served at GET /api/openapi.json. Hand-written next to
 * the routes (one entry per route module's path); test/web/api-endpoints.test.ts checks that every
 * route the server registers is described here and the other way round.
 */

type Schema = Record<string, unknown>;

const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const hex64: Schema = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});
const page = (item: Schema): Schema => object({ items: { type: 'array', items: item }, next: nullable(int) });

const schemas: Record<string, Schema> = {
  Error: object({
    error: object({ code: str, message: str, progress: num, height: int }, ['progress', 'height']),
  }),
  FeeRates: object({ min: num, p10: num, p50: num, p90: num, max: num }),
  MempoolStats: object({ count: int, vsize: int, bytes: int, totalFee: int, feeRates: ref('FeeRates') }),
  AddressIndexStatus: object({ enabled: bool, height: int, synced: bool, progress: num }),
  Status: object({
    network: { type: 'string', enum: ['main', 'testnet', 'regtest'] },
    height: int,
    bestBlockHash: hex64,
    time: int,
    medianTime: int,
    bits: str,
    target: hex64,
    difficulty: num,
    chainwork: hex64,
    hashRate: { type: 'number', description: 'estimated hashes per second over the last 120 blocks' },
    mempool: ref('MempoolStats'),
    peers: object({ count: int, inbound: int, outbound: int }),
    addressIndex: ref('AddressIndexStatus'),
  }),
  BlockSummary: object(
    {
      hash: hex64,
      height: int,
      time: int,
      txCount: int,
      size: int,
      weight: int,
      fees: int,
      miner: { type: 'null' },
    },
    ['fees', 'miner'],
  ),
  Block: object({
    hash: hex64,
    height: int,
    confirmations: { type: 'integer', description: '-1 when the block is not on the active chain' },
    version: int,
    versionHex: str,
    previousBlockHash: nullable(hex64),
    nextBlockHash: nullable(hex64),
    merkleRoot: hex64,
    time: int,
    medianTime: int,
    bits: str,
    target: hex64,
    nonce: int,
    difficulty: num,
    chainwork: hex64,
    size: int,
    strippedSize: int,
    weight: int,
    txCount: int,
    header: { type: 'string', pattern: '^[0-9a-f]{160}$' },
    inActiveChain: bool,
  }),
  ScriptPubKey: object({ hex: str, asm: str, type: str, address: nullable(str) }),
  TxInput: object(
    {
      txid: hex64,
      vout: int,
      coinbase: str,
      sequence: int,
      scriptSig: object({ hex: str, asm: str }),
      witness: { type: 'array', items: str },
      prevout: nullable(object({ value: int, scriptPubKey: ref('ScriptPubKey') })),
    },
    ['coinbase'],
  ),
  TxOutput: object(
    {
      n: int,
      value: int,
      scriptPubKey: ref('ScriptPubKey'),
      spentBy: nullable(object({ txid: hex64, vin: int })),
    },
    ['spentBy'],
  ),
  TxStatus: object(
    { confirmed: bool, blockHash: hex64, height: int, index: int, time: int, confirmations: int },
    ['blockHash', 'height', 'index', 'time'],
  ),
  Transaction: object({
    txid: hex64,
    wtxid: hex64,
    version: int,
    locktime: int,
    size: int,
    vsize: int,
    weight: int,
    fee: nullable(int),
    feeRate: nullable(num),
    coinbase: bool,
    vin: { type: 'array', items: ref('TxInput') },
    vout: { type: 'array', items: ref('TxOutput') },
    status: ref('TxStatus'),
  }),
  TxProof: {
    ...object({
      txid: hex64,
      blockhash: hex64,
      height: int,
      index: int,
      header: { type: 'string', pattern: '^[0-9a-f]{160}$' },
      branch: {
        type: 'array',
        items: hex64,
        description: 'sibling hashes from the leaf up, internal byte order',
      },
    }),
    additionalProperties: false,
  },
  Address: object({
    address: str,
    scriptPubKey: str,
    type: str,
    balance: int,
    received: int,
    sent: int,
    txCount: int,
    utxoCount: int,
    unconfirmed: object({ balance: int, txCount: int }),
    index: object({ height: int, synced: bool }),
  }),
  AddressTx: object({
    txid: hex64,
    height: nullable(int),
    time: nullable(int),
    delta: int,
    confirmations: int,
  }),
  AddressUtxo: object({
    txid: hex64,
    vout: int,
    value: int,
    height: nullable(int),
    confirmations: int,
    // Unspent in the chain (or created in the mempool) but spent by this mempool transaction.
    spentBy: nullable(object({ txid: hex64, vin: int })),
  }),
  Mempool: object({
    count: int,
    vsize: int,
    bytes: int,
    totalFee: int,
    feeRates: ref('FeeRates'),
    histogram: {
      type: 'array',
      description: '[fee rate floor (sat/vB), total vsize] pairs, highest fee rate first',
      items: { type: 'array', prefixItems: [num, int], minItems: 2, maxItems: 2 },
    },
  }),
  MempoolTx: object({ txid: hex64, fee: int, vsize: int, feeRate: num, time: int }),
  Peer: object({
    id: int,
    address: str,
    inbound: bool,
    userAgent: str,
    startingHeight: int,
    syncedHeight: int,
    pingMs: nullable(num),
    connectedAt: int,
  }),
  SearchResult: object({ type: { type: 'string', enum: ['block', 'tx', 'address'] }, id: str, url: str }),
};

const q = (name: string, schema: Schema, description: string): Schema => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});
const p = (name: string, schema: Schema, description: string): Schema => ({
  name,
  in: 'path',
  required: true,
  schema,
  description,
});
const limit = q('limit', { type: 'integer', minimum: 1, maximum: 100, default: 25 }, 'items per page');
const offset = q('offset', { type: 'integer', minimum: 0, default: 0 }, 'items to skip');
const blockId = p('id', { type: 'string', pattern: '^([0-9a-fA-F]{64}|[0-9]+)$' }, 'block hash or height');
const txid = p('txid', { type: 'string', pattern: '^[0-9a-fA-F]{64}$' }, 'txid (display hex)');
const addr = p('addr', str, 'an address of the node network');

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });

function get(
  summary: string,
  ok: Schema,
  parameters: Schema[] = [],
  errors: Record<string, string> = {},
): Schema {
  const responses: Record<string, unknown> = { '200': { description: 'OK', ...json(ok) } };
  for (const [code, description] of Object.entries(errors)) responses[code] = error(description);
  return { get: { summary, parameters, responses } };
}

const BAD = 'malformed parameter';
const INDEX_UNAVAILABLE = 'address index off or building';

/** The paged lists of an address (/txs, /utxos): the same parameters and errors. */
const addressList = (summary: string, item: string): Schema =>
  get(summary, page(ref(item)), [addr, offset, limit], { '400': BAD, '503': INDEX_UNAVAILABLE });

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Tally explorer API',
    version: '1.0.0',
    description:
      'Read-only, unauthenticated JSON over the node RPC port. Amounts in satoshis, hashes as display hex, times in unix seconds. Errors: {"error":{"code","message"}} with 400, 404 or 503.',
  },
  paths: {
    '/api/status': get('Chain tip, mempool, peers and address index state', ref('Status')),
    '/api/blocks': get(
      'Blocks newest first from a height',
      page(ref('BlockSummary')),
      [q('start', { type: 'integer', minimum: 0 }, 'height to start from (default: the tip)'), limit],
      { '400': BAD },
    ),
    '/api/block/{id}': get('A block header and sizes', ref('Block'), [blockId], {
      '400': BAD,
      '404': 'unknown block',
    }),
    '/api/block/{id}/txs': get('A block transactions', page(ref('Transaction')), [blockId, offset, limit], {
      '400': BAD,
      '404': 'unknown block',
    }),
    '/api/tx/{txid}': get('A transaction from the mempool or the tx index', ref('Transaction'), [txid], {
      '400': BAD,
      '404': 'unknown transaction',
    }),
    '/api/tx/{txid}/proof': get('Merkle inclusion proof of a confirmed transaction', ref('TxProof'), [txid], {
      '400': BAD,
      '404': 'unknown or unconfirmed transaction',
    }),
    '/api/address/{addr}': get('Balance and totals of an address', ref('Address'), [addr], {
      '400': 'invalid address',
      '503': INDEX_UNAVAILABLE,
    }),
    '/api/address/{addr}/txs': addressList('Transactions of an address, newest first', 'AddressTx'),
    '/api/address/{addr}/utxos': addressList('Unspent outputs of an address', 'AddressUtxo'),
    '/api/mempool': get('Mempool totals and fee histogram', ref('Mempool')),
    '/api/mempool/txs': get(
      'Mempool transactions, highest fee rate first',
      page(ref('MempoolTx')),
      [offset, limit],
      {
        '400': BAD,
      },
    ),
    '/api/peers': get('Connected peers', object({ items: { type: 'array', items: ref('Peer') } })),
    '/api/search': get(
      'Where a height, hash, txid or address leads',
      ref('SearchResult'),
      [q('q', str, 'search text')],
      {
        '400': BAD,
        '404': 'nothing found',
      },
    ),
    '/api/events': {
      get: {
        summary:
          'Server-Sent Events: `block` {hash,height,time,txCount}, `tx` {txid,vsize,fee}, `reorg` {forkHeight,disconnected,connected}; a comment ping every 15 s',
        responses: {
          '200': { description: 'event stream', content: { 'text/event-stream': { schema: str } } },
        },
      },
    },
    '/api/openapi.json': get('This document', { type: 'object' }),
  },
  components: { schemas },
} as const;
