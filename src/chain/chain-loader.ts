import { buildGenesisBlock } from '../consensus/genesis.js';
import type { NetworkParams } from '../consensus/params.js';
import { equalBytes } from '../encoding/bytes.js';
import { toDisplayHex } from '../encoding/hex.js';
import { BufferReader } from '../encoding/reader.js';
import { BufferWriter } from '../encoding/writer.js';
import { BlockIndex } from './block-index.js';
import type { ChainDB } from './chain-db.js';
import { BlockStatus, type ChainEntry, decodeEntryRecord, type EntryRecord } from './chain-entry.js';
import { ChainError } from './errors.js';
import { BEST_BLOCK_KEY, blockKey, CHAIN_STATE_KEY, entryKey, Prefix, SCHEMA_VERSION } from './layout.js';

export interface LoadedChain {
  readonly index: BlockIndex;
  /** The block the stored coins reflect (the `T` pointer). */
  readonly best: ChainEntry;
  /** The next unused candidate sequence number. */
  readonly nextSequence: number;
}

/**
 * Opens the chain's records: creates a new store holding only the genesis block, or checks that an
 * existing one belongs to this network and schema, then loads the whole block index into memory and
 * finds the best-block pointer's entry. Blocks stored after that pointer (connected but not yet
 * flushed before a crash) stay candidates: the caller connects them again.
 */
export async function loadChain(db: ChainDB, network: NetworkParams): Promise<LoadedChain> {
  const genesis = buildGenesisBlock(network);
  const state = db.getSync(CHAIN_STATE_KEY);
  if (state === undefined) {
    const status = BlockStatus.VALID_TREE | BlockStatus.VALID_SCRIPTS | BlockStatus.HAVE_DATA;
    const record = new BufferWriter(92).bytes(genesis.header.encode()).u32(0).u32(status).u32(0).finish();
    await db.write(
      [
        { type: 'put', key: blockKey(genesis.hash()), value: genesis.encode() },
        { type: 'put', key: entryKey(genesis.hash()), value: record },
        { type: 'put', key: BEST_BLOCK_KEY, value: genesis.hash() },
        {
          type: 'put',
          key: CHAIN_STATE_KEY,
          value: new BufferWriter(36).u32(SCHEMA_VERSION).bytes(genesis.hash()).finish(),
        },
      ],
      true,
    );
  } else {
    const r = new BufferReader(state);
    const version = r.u32();
    if (version !== SCHEMA_VERSION) {
      throw new ChainError(
        'SCHEMA_VERSION',
        `chain store has schema ${version}, this build reads ${SCHEMA_VERSION}`,
      );
    }
    const storedGenesis = r.hash();
    if (!equalBytes(storedGenesis, genesis.hash())) {
      throw new ChainError(
        'WRONG_NETWORK',
        `chain store belongs to genesis ${toDisplayHex(storedGenesis)}, not ${network.name}`,
      );
    }
  }

  const records: EntryRecord[] = [];
  for await (const [, value] of db.iterate(Prefix.ENTRY)) records.push(decodeEntryRecord(value));
  // Parents before children: a parent is always exactly one lower.
  records.sort((a, b) => a.height - b.height);
  const index = new BlockIndex(network.consensus);
  let nextSequence = 1;
  for (const record of records) {
    const prev = record.height === 0 ? undefined : index.get(record.header.prevBlock);
    if (record.height > 0 && prev === undefined) {
      throw new ChainError('CORRUPT', `block index entry ${record.header.hashHex()} has no parent`);
    }
    const entry = index.add(record.header, prev, record.status, record.sequence);
    entry.dataChain = entry.hasData() && (prev === undefined || prev.dataChain);
    nextSequence = Math.max(nextSequence, record.sequence + 1);
  }
  // A candidate whose sequence was not flushed before a crash gets a new one, in height order.
  for (const record of records) {
    const entry = index.get(record.header.hash())!;
    if (entry.dataChain && entry.height > 0 && entry.sequence === 0) entry.sequence = nextSequence++;
  }

  const bestHash = db.getSync(BEST_BLOCK_KEY);
  const best = bestHash === undefined ? undefined : index.get(bestHash);
  if (best === undefined || !best.dataChain) {
    throw new ChainError('CORRUPT', 'the best-block pointer does not name a stored block');
  }
  index.setTip(best);
  return { index, best, nextSequence };
}
