// timeline panel: see docs/architecture.md. Filled in by its owner; main.js calls initTimeline(ctx).
export function initTimeline(ctx) {}
