// Public API of src/report: charts (Vega-Lite -> SVG), schematics (netlistsvg), Markdown helpers.
export * from './render.js';
export * from './charts.js';
export * from './charts-cost.js';
export * from './schematic.js';
export * from './markdown.js';
export * from './xml-check.js';
export * from './cost-tables.js';
export * from './memory-tables.js';
