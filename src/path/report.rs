//! The JSON schema of the CLI (a contract other tools read: keep the field names).
//!
//! ```text
//! {"data":{"x":[…],"y":[…]}, "lambda":λ,
//!  "init":{"law":"gaussian","symmetric":true,"weights":[ω_p…],"neurons":[[a,w,b]…]},
//!  "path":[{"tau":τ,"alpha":[…],"primal":P,"dual":D,"gap":P−D,"residual":r,
//!           "neurons":[[p,share,a,w,b]…],"fit":{"x":[…],"y":[…]}}…],
//!  "kernel_limit":{"fit":{…},"norm":…}, "rich_limit":{"cost":M,"fit":{…},"kinks":[…]}}
//! ```
//! The initial measure at scale 1 is `Σ_p ω_p δ(init.neurons[p])`; a row `[p, share, a, w, b]`
//! sends the fraction `share` of source `p`'s weight to the neuron `(a, w, b)` at its actual
//! scale, so `f(x) = Σ_rows ω_p·share·φ((a, w, b), x)`.

use crate::input::data::Data;
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
    /// How `fit` was drawn: `"measure"` (the exact function of the reported measure),
    /// `"realigned"` (MATH §8: the infinite-width function with a rule re-aligned with each grid
    /// point — used for an infinite-width initialization near the kernel end, `sup g_α ≤ 1e-3`)
    /// or `"continuum"` (`path --exact`: the infinite-width function integrated over cells
    /// where the minimizer is one piece, MATH §11).
    pub fit_source: &'static str,
    /// For a re-aligned fit: its change on every 8th grid point when the rule is refined to twice
    /// the directions (an error estimate of the drawn curve).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit_error: Option<f64>,
    /// `sup_grid |f_τ − f_τ^lazy|`, the distance to the kernel (lazy) prediction at this τ
    /// (`f_K` itself for a symmetric initialization and λ = 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_distance: Option<f64>,
    /// `sup_grid |f_τ − f_rich|`, the distance to the rich limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rich_distance: Option<f64>,
    /// `path --exact` (the infinite-width problem itself, MATH §11): the integration's error
    /// estimate of `f(X)` (max over the data), beside the gap and the residual.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_error: Option<f64>,
    /// How far the network of this τ's `α` at infinite width misses the data,
    /// `max_i |y_i − λα_i − f_∞(x_i)|`, with `f_∞` integrated over `ν0` itself (MATH §11; the
    /// CLI's `path` on a quadrature, `path::width_check`; `--exact`: its residual).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infinite_width_residual: Option<f64>,
    /// The integration's error estimate of that `f_∞(X)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infinite_width_error: Option<f64>,
    /// `true` when `α` lies outside the infinite-width dual's domain (`sup g_α ≥ 2` over all
    /// directions, not only the quadrature's): its network at infinite width is unbounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infinite_width_outside: Option<bool>,
    /// The τ's time budget ([`crate::path::ScalingPath::set_budget`]) ran out before it was
    /// certified: the report is the best measure found by then (present only when true).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub budget_exhausted: bool,
}

/// The kernel limit τ → ∞ (MATH §4): the tangent-kernel interpolant and its RKHS norm (its fit
/// `F` on the line's grid, or on the plane's).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KernelLimitReport<F = Fit> {
    /// How the kernel was computed: `"closed-form"`, `"quadrature"` or `"empirical"`.
    pub kernel: &'static str,
    /// `f_K = K(·, X) K(X, X)⁻¹ y` on the grid.
    pub fit: F,
    /// `‖f_K‖_K = (yᵀ K(X, X)⁻¹ y)^½`.
    pub norm: f64,
}

/// The rich limit τ → 0 at λ = 0 (MATH §4): minimal-norm interpolation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RichLimitReport {
    /// `M = min ∫|θ|² dμ` (+ `|f(X) − y|²/2λ`): the weighted-TV norm of the fit.
    pub cost: f64,
    /// A certified lower bound on `M`.
    pub dual: f64,
    /// `cost − dual`.
    pub gap: f64,
    /// `max_i |f(x_i) − y_i + λα_i|`.
    pub residual: f64,
    /// The fit on the grid.
    pub fit: Fit,
    /// Kink positions, increasing.
    pub kinks: Vec<f64>,
    /// Slope change across each kink.
    pub slope_changes: Vec<f64>,
    /// The minimal-norm neurons `[a, w, b]` (balanced: `|a| = |(w, b)|`), `f = Σ φ(θ, ·)`.
    pub neurons: Vec<[f64; 3]>,
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
    /// The kernel limit (absent when `K(X, X)` is singular: repeated abscissas at λ > 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel_limit: Option<KernelLimitReport>,
    /// The rich limit (minimal-norm interpolation: reported at λ = 0 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rich_limit: Option<RichLimitReport>,
}
