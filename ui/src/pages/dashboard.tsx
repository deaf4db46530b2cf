/**
 * The dashboard: chain tip, difficulty and target, estimated hash rate, mempool size and fee
 * rates, peers, and the latest blocks; all refreshed on every new block without a reload.
 */
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { Fetched, Hash, Kv, Section } from '../components/common.js';
import { ago, bytes, difficulty, feeRate, hashRate, int, utcTime, vbytes } from '../format.js';
import { throttle, useLive } from '../live.js';
import { Link } from '../router.js';
import { useApi, useRenderedMark } from '../use-api.js';
import { BlockTable } from './block-table.js';

export function Dashboard() {
  const status = useApi((s) => api.status(s), []);
  const blocks = useApi((s) => api.blocks(undefined, 10, s), []);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  useLive('block', (b) => {
    setFresh(new Set([b.hash]));
    status.reload();
    blocks.reload();
  });
  useLive('reorg', () => {
    status.reload();
    blocks.reload();
  });
  useLive('resync', () => {
    status.reload();
    blocks.reload();
  });
  // Mempool figures change with every accepted tx: refresh the status at most every 2 s for those.
  const [refreshStatus] = useState(() => throttle(() => status.reload(), 2000));
  useLive('tx', refreshStatus);
  useRenderedMark(status.data !== undefined && blocks.data !== undefined);

  const s = status.data;
  return (
    <>
      <h1 class="page-title">Dashboard{s !== undefined && <span class="badge">{s.network}</span>}</h1>
      <Fetched data={s} error={status.error} loading="chain status" errorLabel="Status">
        {(s) => (
          <div class="grid">
            <Section title="Chain tip">
              <p class="big" data-testid="tip-height">
                <Link href={`/block/${s.bestBlockHash}`}>#{int(s.height)}</Link>
              </p>
              <Kv
                rows={[
                  ['Hash', <Hash key="h" value={s.bestBlockHash} href={`/block/${s.bestBlockHash}`} />],
                  ['Time', `${utcTime(s.time)} (${ago(s.time)})`],
                  ['Chain work', <code key="w">{s.chainwork}</code>],
                ]}
              />
            </Section>
            <Section title="Difficulty">
              <p class="big">{difficulty(s.difficulty)}</p>
              <Kv
                rows={[
                  ['Bits', <code key="b">{s.bits}</code>],
                  ['Target', <Hash key="t" value={s.target} />],
                  ['Est. hash rate', hashRate(s.hashRate)],
                ]}
              />
            </Section>
            <Section title="Mempool">
              <p class="big">
                <Link href="/mempool">{int(s.mempool.count)} txs</Link>
              </p>
              <Kv
                rows={[
                  ['Size', `${vbytes(s.mempool.vsize)} (${bytes(s.mempool.bytes)})`],
                  ['Median fee rate', feeRate(s.mempool.count > 0 ? s.mempool.feeRates.p50 : null)],
                  [
                    'Fee rates 10–90%',
                    s.mempool.count > 0
                      ? `${feeRate(s.mempool.feeRates.p10)} – ${feeRate(s.mempool.feeRates.p90)}`
                      : '—',
                  ],
                ]}
              />
            </Section>
            <Section title="Peers">
              <p class="big">{int(s.peers.count)}</p>
              <Kv
                rows={[
                  ['Inbound', int(s.peers.inbound)],
                  ['Outbound', int(s.peers.outbound)],
                  [
                    'Address index',
                    !s.addressIndex.enabled
                      ? 'off'
                      : s.addressIndex.synced
                        ? `synced at #${int(s.addressIndex.height)}`
                        : `building: ${(s.addressIndex.progress * 100).toFixed(1)}%`,
                  ],
                ]}
              />
            </Section>
          </div>
        )}
      </Fetched>
      <Section title="Latest blocks" id="latest-blocks">
        <Fetched data={blocks.data} error={blocks.error} loading="blocks">
          {(page) => (
            <>
              <BlockTable blocks={page.items} fresh={fresh} />
              <p>
                <Link href="/blocks">All blocks →</Link>
              </p>
            </>
          )}
        </Fetched>
      </Section>
    </>
  );
}
