/**
 * One search box for a height, a block hash, a txid or an address. A height is looked up as a
 * block; anything else goes to /api/search, which tries a block hash before a txid for 64 hex
 * characters. Errors (unknown, malformed, wrong network) are shown under the box.
 */
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client.js';
import { navigate } from '../router.js';

export function SearchBox() {
  const [q, setQ] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const query = q.trim();
    if (query === '') return;
    setBusy(true);
    setError(null);
    try {
      if (/^\d+$/.test(query)) {
        const block = await api.block(Number(query));
        navigate(`/block/${block.hash}`);
      } else {
        const found = await api.search(query);
        navigate(found.url);
      }
      setQ('');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'address-index-syncing') {
        // A valid address while the index builds: its page shows the progress.
        navigate(`/address/${encodeURIComponent(query)}`);
        setQ('');
      } else if (err instanceof ApiError && err.status === 404) {
        setError(`Nothing found for “${query}”: no block, transaction or address matches.`);
      } else {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="search" onSubmit={submit}>
      <input
        type="search"
        name="q"
        value={q}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        placeholder="Height, block hash, txid or address"
        aria-label="Search by height, block hash, txid or address"
        autocomplete="off"
        spellcheck={false}
      />
      <button type="submit" disabled={busy}>
        Search
      </button>
      {error !== null && (
        <p class="search-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
