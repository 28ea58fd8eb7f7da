// The decision boundary, straight from a frame's uint8 output block: marching squares on the bytes at the
// threshold's byte value (a block's bytes are its values on a linear scale, so the crossing points are the same as
// on the values), as line segments in grid units that the plane strokes on its canvas.

/** @typedef {import("./types.js").Block} Block */
/** @typedef {import("./outputs.js").Reading} Reading */

export const BOUNDARY_COLOR = "#1d2630";

/**
 * Append the contour `z = level` of an n × n plane (row i ↔ y_i) to `out` as segments [x0, y0, x1, y1, …] in grid
 * units: x = column j, y = row i (fractional where the contour crosses a cell's edge). One segment per cell edge
 * pair; saddles resolved by the cell's mean.
 * @param {ArrayLike<number>} values the plane's values, row-major
 * @param {number} offset where the plane starts in `values`
 * @param {number} n
 * @param {number} level
 * @param {number[]} out
 */
export function contourSegments(values, offset, n, level, out) {
  for (let i = 0; i + 1 < n; i++) {
    const lo = offset + i * n;
    const hi = lo + n;
    for (let j = 0; j + 1 < n; j++) {
      const v00 = values[lo + j], v01 = values[lo + j + 1], v10 = values[hi + j], v11 = values[hi + j + 1];
      const s00 = v00 > level, s01 = v01 > level, s10 = v10 > level, s11 = v11 > level;
      if (s00 === s01 && s00 === s10 && s00 === s11) continue;
      // Crossings on the cell's edges: bottom (row i), right (column j + 1), top (row i + 1), left (column j).
      const bottom = s00 !== s01, right = s01 !== s11, top = s10 !== s11, left = s00 !== s10;
      const bx = j + (level - v00) / (v01 - v00);
      const ry = i + (level - v01) / (v11 - v01);
      const tx = j + (level - v10) / (v11 - v10);
      const ly = i + (level - v00) / (v10 - v00);
      if (bottom && right && top && left) {
        if ((v00 + v01 + v10 + v11) / 4 > level === s00) out.push(bx, i, j + 1, ry, tx, i + 1, j, ly);
        else out.push(bx, i, j, ly, tx, i + 1, j + 1, ry);
      } else {
        if (bottom) out.push(bx, i);
        if (right) out.push(j + 1, ry);
        if (top) out.push(tx, i + 1);
        if (left) out.push(j, ly);
      }
    }
  }
  return out;
}

/**
 * The decision boundary of an output block as segments in grid units: where a binary output crosses its
 * threshold, or for per-class planes where each class's margin over the likeliest other class is 0 (between
 * every two regions of the predicted class). Empty for a regression output or an output of another kind.
 * @param {Block} block
 * @param {Reading} reading
 * @param {number[]} [out] segments are appended here
 * @returns {number[]}
 */
export function boundarySegments(block, reading, out = []) {
  const n = block.shape[block.shape.length - 1];
  const [lo, hi] = block.range;
  if (reading.kind === "binary" && block.shape.length === 2) {
    if (hi > lo) contourSegments(block.bytes, 0, n, ((reading.threshold - lo) / (hi - lo)) * 255, out);
  } else if (reading.kind === "classes" && block.shape.length === 3) {
    classBoundaries(block, out);
  }
  return out;
}

/** Work arrays of the per-class boundaries, kept from frame to frame (no garbage per frame). */
const work = { area: 0, first: new Uint8Array(0), second: new Uint8Array(0), winner: new Uint8Array(0),
  margin: new Int16Array(0) };

/**
 * Per class c, the zero contour of its margin p_c − max over d ≠ c of p_d, in bytes (the planes share one range).
 * @param {Block} block shape [k, n, n]
 * @param {number[]} out
 */
function classBoundaries({ bytes, shape }, out) {
  const [k, n] = [shape[0], shape[2]];
  const area = n * n;
  if (work.area !== area) {
    Object.assign(work, { area, first: new Uint8Array(area), second: new Uint8Array(area), winner: new Uint8Array(area),
      margin: new Int16Array(area) });
  }
  const { first, second, winner, margin } = work;
  first.set(bytes.subarray(0, area));
  second.fill(0);
  winner.fill(0);
  for (let c = 1; c < k; c++) {
    for (let p = 0, at = c * area; p < area; p++, at++) {
      const v = bytes[at];
      if (v > first[p]) {
        second[p] = first[p];
        first[p] = v;
        winner[p] = c;
      } else if (v > second[p]) second[p] = v;
    }
  }
  for (let c = 0; c < k; c++) {
    for (let p = 0, at = c * area; p < area; p++, at++) margin[p] = bytes[at] - (winner[p] === c ? second[p] : first[p]);
    contourSegments(margin, 0, n, 0, out);
  }
}
