// The in-place editor of one weight or bias in the network diagram: a labelled number input; Enter applies a
// number, anything else marks it invalid; Escape or leaving it cancels.

export class WeightEditor {
  /** @param {HTMLElement} parent where the editor appears (positioned in its coordinates) */
  constructor(parent) {
    this.parent = parent;
    /** @type {HTMLElement | null} */
    this.box = null;
  }

  get open() {
    return this.box !== null;
  }

  /**
   * Open the editor for `name` (e.g. "w[0][1→2]") showing `value` at (x, y), kept inside `width` × `height`.
   * @param {{name: string, value: number, x: number, y: number, width: number, height: number,
   *   onApply: (value: number) => void}} what
   */
  show({ name, value, x, y, width, height, onApply }) {
    this.close();
    const box = document.createElement("label");
    box.className = "viz-weight-editor";
    box.style.left = `${Math.max(0, Math.min(x, width - 150))}px`;
    box.style.top = `${Math.max(0, Math.min(y, height - 34))}px`;
    const caption = document.createElement("span");
    caption.textContent = `${name} =`;
    const input = document.createElement("input");
    input.type = "number";
    input.step = "any";
    input.dataset.testid = "weight-editor";
    input.value = String(Number(value.toFixed(4)));
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        const number = Number(input.value);
        if (input.value.trim() !== "" && Number.isFinite(number)) {
          this.close();
          onApply(number);
        } else box.classList.add("invalid");
      } else if (e.key === "Escape") this.close();
    });
    input.addEventListener("blur", () => this.close());
    box.append(caption, input);
    this.parent.append(box);
    this.box = box;
    input.focus({ preventScroll: true });
    input.select();
  }

  close() {
    const box = this.box;
    this.box = null;
    box?.remove();
  }
}
