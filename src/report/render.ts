/**
 * Vega-Lite -> SVG in Node, without a browser or canvas: the spec is compiled
 * to Vega, parsed, and rendered headless (renderer 'none', then toSVG). Text
 * widths are Vega's estimates (no canvas is installed), which only affects
 * label layout. Output is deterministic for a given spec.
 */
import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec as VegaLiteSpec } from 'vega-lite';

/** Renders a compiled Vega spec to an SVG document. */
export async function renderVegaSvg(spec: Vega.Spec): Promise<string> {
  // Vega and Vega-Lite (~0.7 s to load) are imported here, when a chart is drawn, not with the package.
  const vega = await import('vega');
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders a Vega-Lite spec to an SVG document (one string, starting with '<svg'). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vl = await import('vega-lite');
  return renderVegaSvg(vl.compile(spec).spec);
}
