// A learner's thumbnail (app/classroom/summary.py): THUMB × THUMB cells of their output grid, painted into a small
// canvas with the plane's own colours (plane_image.js), row 0 at the bottom as on the plane.

import { PALETTE, PLANE_LUT, WHITE, byteColours, hexToRGB, paintBytes } from "../colors.js";

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{size: number, kind: string, range?: number[], classes?: number, cells: string} | null} thumb
 */
export function paintThumb(canvas, thumb) {
  const g = canvas.getContext("2d");
  if (!thumb) {
    g.clearRect(0, 0, canvas.width, canvas.height);
    return;
  }
  const n = thumb.size;
  const bytes = Uint8Array.from(atob(thumb.cells), (c) => c.charCodeAt(0));
  canvas.width = canvas.height = n;
  const image = g.createImageData(n, n);
  if (thumb.kind === "class") {
    const colours = PALETTE.map(hexToRGB);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const c = colours[bytes[i * n + j] % colours.length];
        const o = ((n - 1 - i) * n + j) * 4;
        for (let k = 0; k < 3; k++) image.data[o + k] = WHITE[k] + (c[k] - WHITE[k]) * 0.5;
        image.data[o + 3] = 255;
      }
    }
  } else {
    const [lo, hi] = thumb.range;
    const centre = lo >= 0 ? 0.5 : 0; // a probability's threshold, or the middle of tanh's range
    const colours = byteColours(thumb.range, PLANE_LUT, centre, Math.max(0.5, Math.abs(hi - centre), Math.abs(centre - lo)));
    paintBytes(new Uint32Array(image.data.buffer), bytes, 0, n, n, colours); // the plane's own byte pipeline
  }
  g.putImageData(image, 0, 0);
}
