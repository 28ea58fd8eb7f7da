// The Training panel: the learning rule (its equation), the loss and the optimizer (their formulas, the
// optimizer's own settings), the learning rate, regularization, batch size, epochs, early stopping, seed and
// shuffling. Live settings go out as `set` (Commands.setLive); the rest re-configure.

import { $, el, inputAt, selectAt, showFormula } from "../dom.js";
import { fmt } from "../format.js";
import { clone } from "../state.js";
import { checkInput, describeInput, fillSelect, human, onParams, paramField, readInput, setSelect, syncParams } from "./fields.js";
import { lossChanged, optimizerChanged, ruleChanged } from "./intent.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../catalog.js").Catalog} Catalog */
/** @typedef {import("./commands.js").Commands} Commands */

/** A regularization rate chosen for the user when they pick L1/L2 with no rate yet. */
const FIRST_RATE = 0.001;

/** "Perceptron rule (Rosenblatt 1958)" → "Perceptron rule (1958)": short enough for the menu (the full title is
 * the equation's tooltip). */
function ruleLabel(r) {
  const title = r.title || human(r.name);
  const m = /^(.*?)\s*\((.*)\)$/.exec(title);
  if (!m) return title;
  const year = /(\d{4})/.exec(m[2]);
  return year ? `${m[1]} (${year[1]})` : m[1];
}

export class TrainingPanel {
  /** @param {{store: Store, catalog: Catalog, commands: Commands}} deps */
  constructor({ store, catalog, commands }) {
    this.store = store;
    this.catalog = catalog;
    this.commands = commands;
    /** The hidden layers before a classic rule took them away: back to a gradient rule, they return. */
    this.rememberedHidden = null;
    this.build();
    selectAt("#rule").addEventListener("change", () => this.chooseRule(selectAt("#rule").value));
    selectAt("#loss").addEventListener("change", () => {
      store.setConfig(lossChanged(clone(store.config), catalog, selectAt("#loss").value));
    });
    selectAt("#optimizer").addEventListener("change", () => {
      store.setConfig(optimizerChanged(clone(store.config), catalog, selectAt("#optimizer").value));
    });
    const lr = inputAt("#learning-rate");
    describeInput(lr, "training.learning_rate", catalog.field("training", "learning_rate"));
    lr.addEventListener("change", () => {
      const problem = checkInput(lr);
      if (problem) commands.invalid(problem);
      else commands.setLive([{ path: "training.learning_rate", value: readInput(lr) }]);
    });
    lr.addEventListener("keydown", (e) => { if (e.key === "Enter") lr.blur(); });
    selectAt("#reg-kind").addEventListener("change", () => this.setRegularization());
    inputAt("#reg-rate").addEventListener("change", () => this.setRegularization());
    for (const sel of ["#optimizer-params", "#training-params", "#training-more-params"]) {
      onParams($(sel), {
        onChange: (path, value) => store.update(path, value),
        onLive: (path, value) => commands.setLive([{ path, value }]),
        onInvalid: (problem) => commands.invalid(problem),
      });
    }
    store.on("config", () => this.sync());
  }

  /** A config field's input; live when the engine changes it without a reset. */
  field(path, options = {}) {
    const [section, name] = path.includes(".") ? path.split(".") : ["", path];
    const live = this.catalog.liveKeys.has(name) ? name : null;
    return paramField(path, this.catalog.field(section, name), { label: human(name), live, ...options });
  }

  build() {
    const { catalog } = this;
    fillSelect(selectAt("#loss"), catalog.losses);
    fillSelect(selectAt("#optimizer"), catalog.optimizers);
    fillSelect(selectAt("#rule"), catalog.rules, ruleLabel);
    // the everyday settings in view, the rest folded
    $("#training-params").replaceChildren(
      this.field("training.batch_size", { backpropOnly: true }),
      this.field("training.epochs"),
      this.regularizationField(),
    );
    $("#training-more-params").replaceChildren(
      this.field("training.patience", { label: "early stop patience" }),
      this.field("seed"),
      this.field("training.shuffle", { label: "shuffle every epoch" }),
    );
  }

  regularizationField() {
    return el("div", { class: "field param reg", dataset: { field: "training.l2" } },
      el("label", { for: "reg-kind" }, "regularization ", el("small", {}, "(live)")),
      el("div", { class: "row" },
        el("select", { id: "reg-kind", "data-testid": "regularization" },
          el("option", { value: "none" }, "none"), el("option", { value: "l1" }, "L1"), el("option", { value: "l2" }, "L2"),
          el("option", { value: "both" }, "L1 + L2")),
        el("input", { type: "text", id: "reg-rate", inputmode: "decimal", "data-testid": "regularization-rate",
          "aria-label": "regularization rate", autocomplete: "off", list: "rates", placeholder: "rate" })),
      el("p", { class: "field-error", role: "alert" }));
  }

  /** The optimizer's own settings, rebuilt when the optimizer changes. */
  optimizerParams() {
    const box = $("#optimizer-params");
    const name = this.store.config.training.optimizer;
    if (box.dataset.optimizer === name) return;
    box.dataset.optimizer = name;
    const hyper = this.catalog.optimizer(name)?.hyper ?? [];
    box.replaceChildren(...hyper.map((p) => paramField(`training.${p.name}`, p,
      { label: human(p.name), live: this.catalog.liveKeys.has(p.name) ? p.name : null })));
    $("#optimizer-more").hidden = hyper.length === 0;
  }

  chooseRule(name) {
    const c = clone(this.store.config);
    const classicBefore = this.catalog.classic(c);
    if (this.catalog.rule(name).online && !classicBefore) this.rememberedHidden = c.network.hidden ?? null;
    this.store.setConfig(ruleChanged(c, this.catalog, name, this.rememberedHidden));
  }

  setRegularization() {
    const kind = selectAt("#reg-kind").value;
    const input = inputAt("#reg-rate");
    const text = input.value.trim();
    if (kind !== "none" && (text === "" || Number(text) === 0)) input.value = String(FIRST_RATE);
    const path = kind === "l1" ? "training.l1" : "training.l2";
    describeInput(input, path, this.catalog.field("training", path.split(".")[1]));
    const problem = kind === "none" ? null : checkInput(input);
    if (problem) {
      this.commands.invalid(problem);
      return;
    }
    const rate = kind === "none" ? 0 : Number(input.value);
    this.commands.setLive([
      { path: "training.l1", value: kind === "l1" || kind === "both" ? rate : 0 },
      { path: "training.l2", value: kind === "l2" || kind === "both" ? rate : 0 },
    ]);
  }

  sync() {
    const c = this.store.config;
    if (!c) return;
    setSelect(selectAt("#rule"), c.training.rule);
    const classic = this.catalog.classic(c); // a classic rule has no loss to choose nor an optimizer
    for (const node of document.querySelectorAll(".backprop-only select, .backprop-only input")) {
      /** @type {HTMLInputElement} */ (node).disabled = classic;
    }
    setSelect(selectAt("#loss"), c.training.loss);
    setSelect(selectAt("#optimizer"), c.training.optimizer);
    const rule = this.catalog.rule(c.training.rule);
    $("#rule-equation").textContent = rule.equation || "";
    $("#rule-equation").title = [rule.title, rule.doc].filter(Boolean).join(" — ");
    const loss = this.catalog.loss(c.training.loss);
    showFormula($("#loss-formula"), loss ? loss.formula || "" : "");
    const opt = this.catalog.optimizer(c.training.optimizer);
    showFormula($("#optimizer-formula"), opt ? opt.equation || "" : "");
    $("#optimizer-formula").title = opt ? opt.description || "" : "";
    this.optimizerParams();
    $("#optimizer-note").textContent = opt ? "— " + opt.hyper.filter((p) => p.kind === "float").slice(0, 3)
      .map((p) => `${human(p.name)} ${fmt(c.training[p.name] ?? p.default, 3)}`).join(" · ") : "";
    const lr = inputAt("#learning-rate");
    if (document.activeElement !== lr && !lr.closest(".field").classList.contains("has-error")) {
      lr.value = String(c.training.learning_rate ?? "");
    }
    const rate = inputAt("#reg-rate");
    if (document.activeElement !== rate && !rate.closest(".has-error")) {
      const l1 = c.training.l1 || 0;
      const l2 = c.training.l2 || 0;
      selectAt("#reg-kind").value = l1 && l2 ? "both" : l1 ? "l1" : l2 ? "l2" : "none";
      rate.value = l1 || l2 ? String(l1 || l2) : "";
    }
    syncParams($("#panel-training"), c);
  }
}
