/**
 * `@ot/cli`: the `ot` command (train / sample / eval / bench). The programmatic entry is
 * {@link main}; the PNG helpers are exported for examples.
 *
 * @packageDocumentation
 */
export { main, buildProgram, EXIT } from './main.js';
export { imageGrid, scatterPlot, lossCurve, Canvas } from './png.js';
