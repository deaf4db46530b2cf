/**
 * One block: every header field (version, previous hash, Merkle root, time, bits and target,
 * nonce) and its transactions, 25 a page. Reached by hash or height (/block/<hash-or-height>).
 */
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import {
  type Column,
  ErrorBox,
  Fetched,
  Hash,
  Kv,
  Loading,
  Pager,
  Section,
  Table,
  TxLink,
} from '../components/common.js';
import { btc, bytes, difficulty, int, short, utcTime, vbytes } from '../format.js';
import { useLive } from '../live.js';
import { useApi, useRenderedMark } from '../use-api.js';

const LIMIT = 25;
const TX_COLUMNS: readonly Column[] = [
  ['#', 'num'],
  ['Txid'],
  ['Output value', 'num'],
  ['Fee', 'num wide-only'],
  ['Size', 'num wide-only'],
];

export function BlockPage({ id }: { id: string }) {
  const block = useApi((s) => api.block(id, s), [id]);
  const [offset, setOffset] = useState(0);
  // By the same id as the header, so both requests go out at once (the API takes a hash or a height).
  const txs = useApi((s) => api.blockTxs(id, offset, LIMIT, s), [id, offset]);
  // Confirmations and the next-block link change as the chain grows (or reorganizes).
  useLive('block', () => block.reload());
  useLive('reorg', () => block.reload());
  useRenderedMark(block.data !== undefined && txs.data !== undefined);

  if (block.error !== null) return <ErrorBox error={block.error} what={`Block ${id}`} />;
  const b = block.data;
  if (b === undefined) return <Loading what={`block ${id}`} />;
  return (
    <>
      <h1 class="page-title">
        Block #{int(b.height)}
        {!b.inActiveChain && <span class="badge warn">not in the active chain</span>}
      </h1>
      <Section title="Header">
        <Kv
          rows={[
            ['Hash', <Hash key="h" value={b.hash} />],
            ['Height', int(b.height)],
            ['Confirmations', int(b.confirmations)],
            ['Version', `${b.version} (0x${b.versionHex})`],
            [
              'Previous block',
              b.previousBlockHash === null ? (
                'none (genesis)'
              ) : (
                <Hash key="p" value={b.previousBlockHash} href={`/block/${b.previousBlockHash}`} />
              ),
            ],
            [
              'Next block',
              b.nextBlockHash === null ? (
                'none yet'
              ) : (
                <Hash key="n" value={b.nextBlockHash} href={`/block/${b.nextBlockHash}`} />
              ),
            ],
            ['Merkle root', <Hash key="m" value={b.merkleRoot} />],
            ['Time', `${utcTime(b.time)} (median time past ${utcTime(b.medianTime)})`],
            ['Bits', <code key="b">{b.bits}</code>],
            ['Target', <Hash key="t" value={b.target} />],
            ['Difficulty', difficulty(b.difficulty)],
            ['Nonce', int(b.nonce)],
            ['Chain work', <code key="c">{b.chainwork}</code>],
            ['Size', `${bytes(b.size)} (${int(b.strippedSize)} B stripped)`],
            ['Weight', `${int(b.weight)} WU`],
            ['Transactions', int(b.txCount)],
            ['Raw header', <Hash key="r" value={b.header} />],
          ]}
        />
      </Section>
      <Section title={`Transactions (${int(b.txCount)})`} id="block-txs">
        <Fetched data={txs.data} error={txs.error} loading="transactions">
          {(page) => (
            <>
              <Table class="txs" columns={TX_COLUMNS}>
                {page.items.map((tx, i) => (
                  <tr key={tx.txid}>
                    <td class="num">{offset + i}</td>
                    <td>
                      <TxLink txid={tx.txid}>{short(tx.txid, 12)}</TxLink>
                      {tx.coinbase && <span class="badge">coinbase</span>}
                    </td>
                    <td class="num">{btc(tx.vout.reduce((sum, o) => sum + o.value, 0))}</td>
                    <td class="num wide-only">{tx.fee === null ? '—' : btc(tx.fee)}</td>
                    <td class="num wide-only">{vbytes(tx.vsize)}</td>
                  </tr>
                ))}
              </Table>
              <Pager offset={offset} limit={LIMIT} next={page.next} onPage={setOffset} />
            </>
          )}
        </Fetched>
      </Section>
    </>
  );
}
