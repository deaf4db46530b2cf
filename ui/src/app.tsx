/**
 * The explorer's frame: header (name, navigation, search, live state), a "new block" notice that
 * appears when the chain moves while you read, and the page for the current path.
 */
import { useState } from 'preact/hooks';
import type { BlockEvent } from './api/types.js';
import { SearchBox } from './components/search-box.js';
import { int } from './format.js';
import { useLive, useLiveState } from './live.js';
import { AddressPage } from './pages/address.js';
import { BlockPage } from './pages/block.js';
import { BlocksPage } from './pages/blocks.js';
import { Dashboard } from './pages/dashboard.js';
import { MempoolPage } from './pages/mempool.js';
import { TxPage } from './pages/tx.js';
import { Link, matchParam, usePath } from './router.js';

function Page({ path }: { path: string }) {
  if (path === '/' || path === '') return <Dashboard />;
  if (path === '/blocks') return <BlocksPage />;
  if (path === '/mempool') return <MempoolPage />;
  const block = matchParam(path, 'block');
  if (block !== null) return <BlockPage key={block} id={block} />;
  const tx = matchParam(path, 'tx');
  if (tx !== null) return <TxPage key={tx} txid={tx} />;
  const address = matchParam(path, 'address');
  if (address !== null) return <AddressPage key={address} address={address} />;
  return (
    <section class="card">
      <h1>Page not found</h1>
      <p>
        No explorer page at <code>{path}</code>. Try the search box, or go to the{' '}
        <Link href="/">dashboard</Link>.
      </p>
    </section>
  );
}

function NewBlockNotice() {
  const [latest, setLatest] = useState<BlockEvent | null>(null);
  useLive('block', (b) => setLatest(b));
  if (latest === null) return null;
  return (
    <div class="new-block" role="status" data-height={latest.height}>
      New block{' '}
      <Link href={`/block/${latest.hash}`} onClick={() => setLatest(null)}>
        #{int(latest.height)}
      </Link>{' '}
      with {int(latest.txCount)} transaction{latest.txCount === 1 ? '' : 's'}
      <button type="button" class="dismiss" aria-label="Dismiss" onClick={() => setLatest(null)}>
        ×
      </button>
    </div>
  );
}

export function App() {
  const path = usePath();
  const live = useLiveState();
  const nav = (href: string, label: string) => (
    <Link href={href} class={path === href ? 'active' : undefined}>
      {label}
    </Link>
  );
  return (
    <>
      <header class="top">
        <div class="top-row">
          <Link href="/" class="brand">
            Tally explorer
          </Link>
          <nav>
            {nav('/', 'Dashboard')}
            {nav('/blocks', 'Blocks')}
            {nav('/mempool', 'Mempool')}
          </nav>
          <span class={`live live-${live}`} title={`Live updates: ${live}`}>
            {live === 'live' ? 'live' : live === 'connecting' ? 'connecting' : 'offline'}
          </span>
        </div>
        <SearchBox />
      </header>
      <NewBlockNotice />
      <main>
        <Page path={path} />
      </main>
    </>
  );
}
