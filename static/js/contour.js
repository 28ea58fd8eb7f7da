// The decision boundary: contour lines of the output grid, as Plotly path shapes in data coordinates.

/** @typedef {import("./types.js").Grid} Grid */
/** @typedef {import("./outputs.js").Reading} Reading */

const BOUNDARY_COLOR = "#1d2630";

/**
 * The contour `z = level` of a grid as an SVG path in data coordinates (marching squares, one segment per cell
 * edge pair; saddles resolved by the cell's mean). Far cheaper per frame than a Plotly contour trace.
 * @param {Float64Array} xs column coordinates
 * @param {Float64Array} ys row coordinates
 * @param {ArrayLike<number>[]} rows z values, row i ↔ ys[i]
 */
export function contourPath(xs, ys, rows, level) {
  let path = "";
  const r = (v) => Math.round(v * 1e4) / 1e4;
  const segment = (ax, ay, bx, by) => {
    path += `M${r(ax)},${r(ay)}L${r(bx)},${r(by)}`;
  };
  for (let i = 0; i + 1 < rows.length; i++) {
    const lo = rows[i];
    const hi = rows[i + 1];
    const y0 = ys[i];
    const y1 = ys[i + 1];
    for (let j = 0; j + 1 < lo.length; j++) {
      const v00 = lo[j], v01 = lo[j + 1], v10 = hi[j], v11 = hi[j + 1];
      const s00 = v00 > level, s01 = v01 > level, s10 = v10 > level, s11 = v11 > level;
      if (s00 === s01 && s00 === s10 && s00 === s11) continue;
      const x0 = xs[j];
      const x1 = xs[j + 1];
      // Crossings on the cell's edges: bottom (y0), right (x1), top (y1), left (x0).
      const bx = x0 + ((level - v00) / (v01 - v00)) * (x1 - x0);
      const ry = y0 + ((level - v01) / (v11 - v01)) * (y1 - y0);
      const tx = x0 + ((level - v10) / (v11 - v10)) * (x1 - x0);
      const ly = y0 + ((level - v00) / (v10 - v00)) * (y1 - y0);
      const bottom = s00 !== s01, right = s01 !== s11, top = s10 !== s11, left = s00 !== s10;
      if (bottom && right && top && left) {
        if ((v00 + v01 + v10 + v11) / 4 > level === s00) {
          segment(bx, y0, x1, ry);
          segment(tx, y1, x0, ly);
        } else {
          segment(bx, y0, x0, ly);
          segment(tx, y1, x1, ry);
        }
      } else {
        const points = [];
        if (bottom) points.push(bx, y0);
        if (right) points.push(x1, ry);
        if (top) points.push(tx, y1);
        if (left) points.push(x0, ly);
        segment(points[0], points[1], points[2], points[3]);
      }
    }
  }
  return path;
}

/**
 * Decision-boundary shapes: output = threshold, or for a per-class output where each class's margin over the
 * rest is 0. A frame of another output kind than `reading` gets none.
 * @param {Grid} grid
 * @param {Reading} reading
 */
export function boundaryShapes(grid, reading) {
  const shape = (path, width) => ({ type: "path", xref: "x", yref: "y", path, line: { color: BOUNDARY_COLOR, width }, layer: "above" });
  if (reading.kind === "binary") return grid.output ? [shape(contourPath(grid.xs, grid.ys, grid.output, reading.threshold), 2)] : [];
  if (reading.kind !== "classes" || !grid.classes) return [];
  const planes = grid.classes;
  return planes.map((plane, c) => {
    const margin = plane.map((row, i) => {
      const out = new Float32Array(row.length);
      for (let j = 0; j < row.length; j++) {
        let other = -Infinity;
        for (let d = 0; d < planes.length; d++) if (d !== c && planes[d][i][j] > other) other = planes[d][i][j];
        out[j] = row[j] - other;
      }
      return out;
    });
    return shape(contourPath(grid.xs, grid.ys, margin, 0), 1.6);
  });
}
