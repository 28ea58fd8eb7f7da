// Number formatting for every view, in one place.
//
//   fmt(v, digits = 3)  a readout: `digits` significant digits, exponent notation below 1e-3 and from 1e5,
//                       "—" for no value, "∞" / "−∞" for infinities (top bar, side-by-side runs)
//   pct(v)              a share as a percentage with one decimal, "—" for no value (accuracy)
//   fixed(v)            exactly 3 decimals with a true minus sign (weights in the network diagram)
//   num(v)              at most 3 decimals, no trailing zeros, a true minus sign, never "−0" (the neuron panel)

export function fmt(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return String(Number(value.toPrecision(digits)));
}

export const pct = (v) => (v === null || v === undefined || Number.isNaN(v) ? "—" : `${(100 * v).toFixed(1)}%`);

export function fixed(v) {
  return Number.isFinite(v) ? v.toFixed(3).replace("-", "−") : String(v);
}

export function num(v) {
  if (!Number.isFinite(v)) return String(v);
  const s = Number(v.toFixed(3)).toString();
  return (s === "-0" ? "0" : s).replace("-", "−");
}
