#![doc = include_str!("../README.md")]
// `!(x > t)` is deliberate throughout: it is true for NaN, which must fail every test.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
// Index loops mirror the formulas (rows i, columns j) in the small dense linear algebra.
#![allow(clippy::needless_range_loop)]

pub mod bundle;
pub mod compare;
pub mod counters;
pub mod continuum;
pub mod curve;
pub mod data;
pub mod direction;
pub mod dual;
pub mod error;
pub mod exact;
pub mod gd;
pub mod geometry;
pub mod init;
pub mod kernel_limit;
pub mod linalg;
pub mod lp;
pub mod model;
pub mod newton;
pub mod options;
pub mod params;
pub mod quadrature;
pub mod recovery;
pub mod report;
pub mod rich_limit;
pub mod share_lp;
pub mod path;
pub mod solver;
pub mod target;
pub mod synthetic;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use data::Data;
pub use error::{Error, Result};
pub use params::{Grid, PathParams, ValidPathParams};
pub use path::{ScalingPath, solve_path};
