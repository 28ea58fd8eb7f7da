// What an input feature computes, read from its name. The engine names its features as formulas over the plane's
// coordinates (the catalog's `plane.axes`, x1 and x2): products (`*`), integer powers (`^`) and functions of one
// argument named as in JavaScript's Math (`sin(…)`). The network diagram paints each input's tile with it.

const NUMBER = /^\d+(\.\d+)?/;
const WORD = /^[a-z_]\w*/i;

/**
 * The feature `name` as a function (x1, x2) → value, or null when the name is not such a formula.
 * @param {string} name
 * @param {string[]} axes the names of the two coordinates
 * @returns {((x: number, y: number) => number) | null}
 */
export function featureFunction(name, axes) {
  let rest = name.replace(/\s+/g, "");
  /** @returns {(x: number, y: number) => number} */
  const product = () => {
    let f = power();
    while (rest.startsWith("*")) {
      rest = rest.slice(1);
      const [left, right] = [f, power()];
      f = (x, y) => left(x, y) * right(x, y);
    }
    return f;
  };
  const power = () => {
    const base = atom();
    if (!rest.startsWith("^")) return base;
    const match = NUMBER.exec(rest.slice(1));
    if (!match) throw new SyntaxError(name);
    rest = rest.slice(1 + match[0].length);
    const p = Number(match[0]);
    return (x, y) => base(x, y) ** p;
  };
  const atom = () => {
    const word = WORD.exec(rest)?.[0];
    if (!word) throw new SyntaxError(name);
    rest = rest.slice(word.length);
    const axis = axes.indexOf(word);
    if (axis >= 0) return axis === 0 ? (x) => x : (x, y) => y;
    const fn = Math[word];
    if (typeof fn !== "function" || !rest.startsWith("(")) throw new SyntaxError(name);
    rest = rest.slice(1);
    const inner = product();
    if (!rest.startsWith(")")) throw new SyntaxError(name);
    rest = rest.slice(1);
    return (x, y) => fn(inner(x, y));
  };
  try {
    const f = product();
    return rest === "" ? f : null;
  } catch {
    return null;
  }
}
