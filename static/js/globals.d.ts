// Globals the page's modules use, for tsc --checkJs (make lint): Plotly.js comes as a classic script
// (/vendor/plotly.min.js), and `window.nnlive` is main.js's handle for the console and the browser tests
// (`window.nnliveClass`: the teacher page's, classroom/teacher.js).
interface Window {
  Plotly: any;
  nnlive: any;
  nnliveClass: any;
}
