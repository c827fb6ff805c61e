// Generated from the solver's limits and data messages (src/input/params.rs LIMITS,
// src/input/error.rs DATA_MESSAGES) by tests/limits_js.rs:
// UPDATE_LIMITS=1 cargo test --test limits_js. Do not edit by hand.
export const CORE_LIMITS = Object.freeze({
  points: 100,
  directions: 65536,
  width: 20000,
  tauCount: 1000,
  gridCount: 100000,
  gdSteps: 100000000,
});
/** Templates: `{name}` stands for a value (see `dataMessage` in validate.js). */
export const CORE_MESSAGES = Object.freeze({
  emptyData: "the data set is empty: give at least one point (x, y)",
  tooManyPoints: "{n} data points is more than the supported maximum of {max}",
  nonFinite: "data point {point} has a non-finite value ({x}, {y})",
  infeasible: "points {first} and {second} have the same x = {x} but different y ({y1} vs {y2}): no function interpolates them at λ = 0; with λ > 0 they are fitted in the least-squares sense",
  badLine: "data line {line}: {reason}",
  header: "expected the header 'x,y', found '{found}'",
  cellCount: "expected 2 values 'x,y', found {count} in '{found}'",
  notANumber: "{what} = '{cell}' is not a number",
  notFinite: "{what} = {cell} is not finite",
});
