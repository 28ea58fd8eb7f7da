// compare panel: see docs/architecture.md. Filled in by its owner; main.js calls initCompare(ctx).
export function initCompare(ctx) {}
