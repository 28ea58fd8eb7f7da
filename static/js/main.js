// Entry point of the page.
const plane = document.querySelector('[data-testid="plane"]');
window.Plotly.newPlot(plane, [{ type: "heatmap", z: [[0, 1], [1, 0]] }], { title: { text: "nnlive" } });
