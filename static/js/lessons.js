// lessons panel: see docs/architecture.md. Filled in by its owner; main.js calls initLessons(ctx).
export function initLessons(ctx) {}
