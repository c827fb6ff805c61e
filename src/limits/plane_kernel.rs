//! The kernel limit τ → ∞ for inputs in the plane (MATH §4 one dimension up): the
//! minimum-RKHS-norm interpolant of the tangent kernel of the initial measure,
//!
//! `f_K(x) = K(x, X) K(X, X)⁻¹ y`,   `‖f_K‖_K = (yᵀ K(X, X)⁻¹ y)^½`,
//!
//! `K(x, x') = Σ_p ω_p ∇_θφ(θ_p, x)·∇_θφ(θ_p, x')
//!          = Σ_p ω_p 1{w_p·x̃ > 0, w_p·x̃' > 0} [(w_p·x̃)(w_p·x̃') + a_p² x̃·x̃']`,
//!
//! `x̃ = (x₁, x₂, 1)`, over the sources of the path: the sampled neurons (finite width: the
//! empirical kernel, exactly) or the lattice of directions (a quadrature: the limit of the
//! discretized path). The path tends to it when the initial function `f₀ = Σ ω a (w·x̃)₊`
//! vanishes at the data (a paired initialization); otherwise there is no kernel limit (as on
//! the line, MATH §4).

use crate::numeric::linalg::cholesky_solve;
use crate::path::plane::{PlaneFit, plane_fit_with};
use crate::path::report::KernelLimitReport;
use ndarray::Array2;

/// `K(x, x')` of the sources `(θ_p, ω_p)`.
pub fn plane_ntk(sources: &[[f64; 4]], weights: &[f64], x: [f64; 2], xp: [f64; 2]) -> f64 {
    let dot = x[0] * xp[0] + x[1] * xp[1] + 1.0;
    sources
        .iter()
        .zip(weights)
        .map(|(t, w)| {
            let (u, v) = (t[1] * x[0] + t[2] * x[1] + t[3], t[1] * xp[0] + t[2] * xp[1] + t[3]);
            if u > 0.0 && v > 0.0 { w * (u * v + t[0] * t[0] * dot) } else { 0.0 }
        })
        .sum()
}

/// The kernel limit of the data `(x, y)` (distinct points) for the sources, on `grid`; `None`
/// when the initial function does not vanish at the data or `K(X, X)` is singular (a width too
/// small for the data). `kind` names the kernel in the report (`"empirical"`, `"quadrature"`).
pub fn plane_kernel_limit(sources: &[[f64; 4]], weights: &[f64], x: &[[f64; 2]], y: &[f64], grid: &(Vec<f64>, Vec<f64>), kind: &'static str) -> Option<KernelLimitReport<PlaneFit>> {
    let f0 = |p: [f64; 2]| -> f64 { sources.iter().zip(weights).map(|(t, w)| w * t[0] * (t[1] * p[0] + t[2] * p[1] + t[3]).max(0.0)).sum() };
    let scale = y.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1.0);
    if x.iter().any(|&p| f0(p).abs() > 1e-12 * scale) {
        return None;
    }
    let n = x.len();
    let mut gram = Array2::zeros((n, n));
    for i in 0..n {
        for k in 0..=i {
            let v = plane_ntk(sources, weights, x[i], x[k]);
            gram[[i, k]] = v;
            gram[[k, i]] = v;
        }
    }
    let c = cholesky_solve(&gram, y)?;
    let norm = c.iter().zip(y).map(|(a, b)| a * b).sum::<f64>().max(0.0).sqrt();
    let fit = plane_fit_with(grid, |p| x.iter().zip(&c).map(|(xi, ci)| ci * plane_ntk(sources, weights, p, *xi)).sum());
    Some(KernelLimitReport { kernel: kind, fit, norm })
}
