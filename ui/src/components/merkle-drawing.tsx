/**
 * The Merkle branch as an SVG: the transaction at the bottom, one row per level with the running
 * hash and its sibling on the side the index bit says, up to the computed root, compared with the
 * header's root at the top. Scales to the screen (viewBox), so it fits a phone.
 */
import { short } from '../format.js';
import { fromHex, reversed, toHex } from '../proof/bytes.js';
import type { MerkleStep } from '../proof/verify.js';

const W = 360;
const ROW = 58;
const BOX_W = 150;
const BOX_H = 30;
const LEFT_X = 20;
const RIGHT_X = W - 20 - BOX_W;

/** Display hex of an internal-order hex hash (as explorers show hashes). */
function display(internalHex: string): string {
  const bytes = fromHex(internalHex);
  return bytes === null ? internalHex : toHex(reversed(bytes));
}

function Box({
  x,
  y,
  label,
  hash,
  kind,
}: {
  x: number;
  y: number;
  label: string;
  hash: string;
  kind: string;
}) {
  return (
    <g class={`mk-${kind}`}>
      <rect x={x} y={y} width={BOX_W} height={BOX_H} rx={5} />
      <text x={x + BOX_W / 2} y={y + 12} class="mk-label">
        {label}
      </text>
      <text x={x + BOX_W / 2} y={y + 25} class="mk-hash">
        {short(hash, 7)}
      </text>
    </g>
  );
}

export function MerkleDrawing({
  txid,
  steps,
  computedRoot,
  headerRoot,
  index,
}: {
  txid: string;
  steps: MerkleStep[];
  computedRoot: string;
  headerRoot: string;
  index: number;
}) {
  const rows = steps.length + 1;
  // The title line, then rows from the root (top) down to the transaction (bottom).
  const top = 26;
  const height = top + (rows - 1) * ROW + BOX_H + 4;
  const yOf = (row: number) => top + (rows - 1 - row) * ROW;
  const rootOk = computedRoot === headerRoot;
  const elements = [];
  // Row r holds the running hash at level r (r = 0 is the txid) beside its sibling.
  let running = txid;
  for (let r = 0; r < rows; r++) {
    const step = steps[r];
    const y = yOf(r);
    const ours = step === undefined || step.siblingSide === 'right' ? LEFT_X : RIGHT_X;
    const label = r === 0 ? `tx at position ${index}` : `level ${r}`;
    if (step === undefined) {
      elements.push(
        <Box key={`root${r}`} x={(W - BOX_W) / 2} y={y} label="computed root" hash={running} kind="root" />,
      );
      break;
    }
    const sibX = step.siblingSide === 'left' ? LEFT_X : RIGHT_X;
    elements.push(<Box key={`o${r}`} x={ours} y={y} label={label} hash={running} kind="path" />);
    elements.push(
      <Box
        key={`s${r}`}
        x={sibX}
        y={y}
        label={step.duplicate ? 'sibling (duplicate!)' : `sibling (${step.siblingSide})`}
        hash={display(step.sibling)}
        kind={step.duplicate ? 'bad' : 'sibling'}
      />,
    );
    // Both children feed the parent in the row above, centred when it is the root.
    const nextStep = steps[r + 1];
    const parentX =
      nextStep === undefined
        ? (W - BOX_W) / 2 + BOX_W / 2
        : (nextStep.siblingSide === 'right' ? LEFT_X : RIGHT_X) + BOX_W / 2;
    const py = yOf(r + 1) + BOX_H;
    for (const cx of [LEFT_X + BOX_W / 2, RIGHT_X + BOX_W / 2]) {
      elements.push(<line key={`l${r}-${cx}`} x1={cx} y1={y} x2={parentX} y2={py} class="mk-edge" />);
    }
    running = display(step.parent);
  }
  return (
    <figure class="merkle">
      <svg
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label={`Merkle branch of ${steps.length} levels from the transaction to the root`}
      >
        <text x={W / 2} y={14} class={`mk-title ${rootOk ? 'ok' : 'bad'}`}>
          {rootOk ? '✓ equals the header’s Merkle root' : '✗ differs from the header’s Merkle root'}
        </text>
        {elements}
      </svg>
      <figcaption>
        Double SHA-256 of left ‖ right at each level; the transaction’s position bits choose the side.
      </figcaption>
    </figure>
  );
}
