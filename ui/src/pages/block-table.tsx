/** The block list used by the dashboard and the blocks page; new blocks are highlighted briefly. */
import type { BlockSummary } from '../api/types.js';
import { ago, bytes, int, short } from '../format.js';
import { Link } from '../router.js';
import { type Column, Table } from '../components/common.js';

const COLUMNS: readonly Column[] = [
  ['Height'],
  ['Hash'],
  ['Time'],
  ['Txs', 'num'],
  ['Size', 'num wide-only'],
];

export function BlockTable({ blocks, fresh }: { blocks: BlockSummary[]; fresh?: ReadonlySet<string> }) {
  return (
    <Table class="blocks" columns={COLUMNS}>
      {blocks.map((b) => (
        <tr key={b.hash} class={fresh?.has(b.hash) ? 'fresh' : undefined} data-height={b.height}>
          <td>
            <Link href={`/block/${b.hash}`}>{int(b.height)}</Link>
          </td>
          <td>
            <Link class="mono" href={`/block/${b.hash}`}>
              {short(b.hash, 6)}
            </Link>
          </td>
          <td title={new Date(b.time * 1000).toISOString()}>{ago(b.time)}</td>
          <td class="num">{int(b.txCount)}</td>
          <td class="num wide-only">{bytes(b.size)}</td>
        </tr>
      ))}
    </Table>
  );
}
