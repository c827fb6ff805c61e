#![doc = include_str!("../README.md")]
// `!(x > t)` is deliberate throughout: it is true for NaN, which must fail every test.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
// Index loops mirror the formulas (rows i, columns j) in the small dense linear algebra.
#![allow(clippy::needless_range_loop)]

// The folders, in the order a solve runs through them (each `mod.rs` says what it holds):
// what the user gives, the network and its initial measure, the dual, the solve at one τ and
// the numerics under it, the path over τ with its report, the two limits, gradient descent,
// the infinite-width solve, and the browser bindings.
pub mod input;
pub mod network;
pub mod dual;
pub mod solver;
pub mod numeric;
pub mod path;
pub mod limits;
pub mod gd;
pub mod continuum;
#[cfg(all(target_arch = "wasm32", not(feature = "plane")))]
pub mod bindings;
/// The second WebAssembly module, for inputs in the plane (`--features plane`).
#[cfg(all(target_arch = "wasm32", feature = "plane"))]
#[path = "bindings/plane.rs"]
pub mod bindings;

pub use input::data::Data;
pub use input::error::{Error, Result};
pub use input::params::{Grid, PathParams, ValidPathParams};
pub use path::{ScalingPath, solve_path};
