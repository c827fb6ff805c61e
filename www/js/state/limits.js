// Generated from the solver's limits (src/params.rs LIMITS) by tests/limits_js.rs:
// UPDATE_LIMITS=1 cargo test --test limits_js. Do not edit by hand.
export const CORE_LIMITS = Object.freeze({
  points: 100,
  directions: 65536,
  width: 20000,
  tauCount: 1000,
  gridCount: 100000,
  gdSteps: 100000000,
});
