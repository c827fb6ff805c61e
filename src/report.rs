//! The JSON schema of the CLI (a contract other tools read: keep the field names).
//!
//! ```text
//! {"data":{"x":[…],"y":[…]}, "lambda":λ,
//!  "init":{"law":"gaussian","symmetric":true,"weights":[ω_p…],"neurons":[[a,w,b]…]},
//!  "path":[{"tau":τ,"alpha":[…],"primal":P,"dual":D,"gap":P−D,"residual":r,
//!           "neurons":[[p,share,a,w,b]…],"fit":{"x":[…],"y":[…]}}…]}
//! ```
//! The initial measure at scale 1 is `Σ_p ω_p δ(init.neurons[p])`; a row `[p, share, a, w, b]`
//! sends the fraction `share` of source `p`'s weight to the neuron `(a, w, b)` at its actual
//! scale, so `f(x) = Σ_rows ω_p·share·φ((a, w, b), x)`.

use crate::data::Data;
use serde::Serialize;

/// A function sampled on a grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// Abscissas.
    pub x: Vec<f64>,
    /// Values.
    pub y: Vec<f64>,
}

/// The initial measure at scale 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InitReport {
    /// Law name.
    pub law: &'static str,
    /// Symmetrized?
    pub symmetric: bool,
    /// `"quadrature"` (infinite width) or `"sampled"` (finite width).
    pub kind: &'static str,
    /// Number of sources (directions or neurons).
    pub count: usize,
    /// Seed of a sampled initialization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// `ω_p`.
    pub weights: Vec<f64>,
    /// `θ_p = [a, w, b]`.
    pub neurons: Vec<[f64; 3]>,
}

/// The certified solution at one τ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TauReport {
    /// Initialization scale.
    pub tau: f64,
    /// Dual variables, one per data point.
    pub alpha: Vec<f64>,
    /// Primal value `P` of the reported measure.
    pub primal: f64,
    /// Dual value `D(α)`.
    pub dual: f64,
    /// `P − D ≥ 0`.
    pub gap: f64,
    /// `(P − D)/|P|` (0 when `P = 0`).
    pub relative_gap: f64,
    /// `max_i |f(x_i) − y_i + λα_i|`.
    pub residual: f64,
    /// Both accuracy targets met (relative gap ≤ 1e-6, residual ≤ 1e-9·max(1, max|y|)).
    pub certified: bool,
    /// Transport cost `W² = Σ ω_p share |θ − τθ_p|²` (the primal without the data-fit term).
    pub transport_cost: f64,
    /// Number of sources whose weight is split between several neurons.
    pub split_sources: usize,
    /// Dual (Newton) iterations and recovery rounds used.
    pub iterations: usize,
    /// Rows `[p, share, a, w, b]`.
    pub neurons: Vec<[f64; 5]>,
    /// `f_τ` on the grid.
    pub fit: Fit,
}

/// A whole path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathReport {
    /// The data.
    pub data: Data,
    /// λ.
    pub lambda: f64,
    /// The initial measure.
    pub init: InitReport,
    /// One entry per τ, increasing.
    pub path: Vec<TauReport>,
}
