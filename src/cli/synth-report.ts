/** Text lines for --synth yosys: helu-sim's estimate beside the synthesized figure. */
import type { SynthComparison } from '../hardware/index.js';
import { formatSig } from '../report/index.js';

const ratio = (r: number | null) => (r === null ? 'n/a' : `${formatSig(r, 3)}x`);

export function synthLines(label: string, c: SynthComparison): string[] {
  const s = c.synthesized;
  const cells = Object.entries(s.cells)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  return [
    `  ${label} synthesized (Yosys + ABC onto the ${s.library}): area ${formatSig(s.areaUm2, 5)} um^2, ` +
      `${s.delayPs === null ? 'delay n/a' : `critical path ${formatSig(s.delayPs, 4)} ps`}; ${s.cellCount} cells (${cells})`,
    `  ${label} helu-sim estimate: area ${formatSig(c.estimate.areaUm2, 5)} um^2, critical path ${formatSig(c.estimate.delayPs, 4)} ps; ` +
      `synthesized / estimate: area ${ratio(c.areaRatio)}, delay ${ratio(c.delayRatio)}`,
  ];
}
