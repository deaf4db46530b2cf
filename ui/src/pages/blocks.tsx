/**
 * Every block, newest first, 25 a page. On the first page new blocks appear as they are mined; on
 * older pages the list stays put (the new-block notice still shows).
 */
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { Fetched, Section } from '../components/common.js';
import { useLive } from '../live.js';
import { useApi, useRenderedMark } from '../use-api.js';
import { BlockTable } from './block-table.js';

const LIMIT = 25;

export function BlocksPage() {
  // Each page is named by the height it starts at; the first page (undefined) follows the tip.
  const [starts, setStarts] = useState<(number | undefined)[]>([undefined]);
  const start = starts[starts.length - 1];
  const list = useApi((s) => api.blocks(start, LIMIT, s), [start]);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const onTip = start === undefined;
  useLive('block', (b) => {
    if (!onTip) return;
    setFresh(new Set([b.hash]));
    list.reload();
  });
  useLive('reorg', () => list.reload());
  useLive('resync', () => list.reload());
  useRenderedMark(list.data !== undefined);
  const next = list.data?.next ?? null;
  return (
    <>
      <h1 class="page-title">Blocks</h1>
      <Section title={onTip ? 'Newest blocks' : `Blocks from #${start}`}>
        <Fetched data={list.data} error={list.error} loading="blocks">
          {(page) => <BlockTable blocks={page.items} fresh={fresh} />}
        </Fetched>
        <div class="pager">
          <button type="button" disabled={onTip} onClick={() => setStarts(starts.slice(0, -1))}>
            ← Newer
          </button>
          <button type="button" disabled={next === null} onClick={() => setStarts([...starts, next ?? 0])}>
            Older →
          </button>
        </div>
      </Section>
    </>
  );
}
