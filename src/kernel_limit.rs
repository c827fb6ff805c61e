//! The kernel (lazy) limit τ → ∞ of the scaling path (MATH §4): the minimum-RKHS-norm
//! interpolant of the tangent kernel at initialization,
//!
//! `f_K(x) = K(x, X) K(X, X)⁻¹ y`,   `‖f_K‖_K = (yᵀ K(X, X)⁻¹ y)^½`,
//!
//! with, for the standard Gaussian `μ0`, the closed form (`ψ` the angle between `x̃ = (x, 1)` and
//! `x̃'`)
//!
//! `K(x, x') = |x̃||x̃'|/(2π) · (sin ψ + (π − ψ) cos ψ) + (π − ψ)/(2π) · x̃·x̃'`.
//!
//! This module holds the closed form only (the symmetrized Gaussian law); the quadrature for the
//! other laws, kernel ridge for λ > 0 and the CLI output belong to the regimes issue.

use crate::error::{Error, Result};
use crate::linalg::cholesky_solve;
use ndarray::Array2;
use std::f64::consts::PI;

/// The tangent kernel of the standard Gaussian initialization, `K(x, x')`.
pub fn gaussian_ntk(x: f64, xp: f64) -> f64 {
    let (n1, n2) = (libm::sqrt(x * x + 1.0), libm::sqrt(xp * xp + 1.0));
    let dot = x * xp + 1.0;
    // ψ from atan2 of |x̃ × x̃'| and x̃·x̃': accurate also for nearly parallel vectors.
    let psi = libm::atan2((x - xp).abs(), dot);
    n1 * n2 / (2.0 * PI) * (libm::sin(psi) + (PI - psi) * libm::cos(psi)) + (PI - psi) / (2.0 * PI) * dot
}

/// The kernel interpolant of data `(x, y)` (distinct `x`): coefficients `c = K(X, X)⁻¹ y`.
#[derive(Debug, Clone)]
pub struct KernelInterpolant {
    x: Vec<f64>,
    coefficients: Vec<f64>,
    /// `‖f_K‖_K = (yᵀ K⁻¹ y)^½`.
    pub norm: f64,
}

impl KernelInterpolant {
    /// Solves `K(X, X) c = y` by Cholesky (K is positive definite for distinct abscissas).
    pub fn gaussian(x: &[f64], y: &[f64]) -> Result<KernelInterpolant> {
        let n = x.len();
        let k = Array2::from_shape_fn((n, n), |(i, j)| gaussian_ntk(x[i], x[j]));
        let c = cholesky_solve(&k, y).ok_or_else(|| {
            Error::Usage("the tangent-kernel matrix is singular: are two abscissas equal?".to_string())
        })?;
        let norm2: f64 = c.iter().zip(y).map(|(a, b)| a * b).sum();
        Ok(KernelInterpolant { x: x.to_vec(), coefficients: c, norm: libm::sqrt(norm2.max(0.0)) })
    }

    /// `f_K(t) = Σ_i c_i K(t, x_i)`.
    pub fn eval(&self, t: f64) -> f64 {
        self.x.iter().zip(&self.coefficients).map(|(&xi, &ci)| ci * gaussian_ntk(t, xi)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Closed form vs an independent integral of `E[∇φ·∇φ']` over N(0, I₃):
    /// `E[(w x + b)₊ (w x' + b)₊] + E[a²] P(w x + b > 0, w x' + b > 0) x̃·x̃'`. In polar
    /// coordinates of `(w, b)` (radius with E[r²] = 2, angle uniform) both terms are integrals over
    /// the arc where both ReLUs are active: its length, and a trigonometric polynomial integrated
    /// by 40-point Gauss–Legendre on that arc (exact to round-off).
    #[test]
    fn closed_form_matches_an_independent_integral() {
        use crate::quadrature::gauss_legendre_on;
        for &(x, xp) in &[(0.0, 0.0), (-1.6, 0.5), (1.7, 1.1), (-3.0, 2.5), (0.3, 0.3001), (-2.0, -0.7)] {
            // v cos(ang) + sin(ang) = |ṽ| sin(ang + φ), φ = atan2(v, 1): positive on (−φ, π − φ);
            // intersect the two half-circles (no wrap-around: φ ∈ (−π/2, π/2)).
            let start = |v: f64| -libm::atan2(v, 1.0);
            let (s1, s2) = (start(x), start(xp));
            let lo = s1.max(s2);
            let hi = (s1 + PI).min(s2 + PI);
            let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo) };
            let (nodes, weights) = gauss_legendre_on(40, lo, hi);
            let relu: f64 = nodes
                .iter()
                .zip(&weights)
                .map(|(&t, &w)| w * (t.cos() * x + t.sin()) * (t.cos() * xp + t.sin()))
                .sum::<f64>()
                / (2.0 * PI);
            let both = (hi - lo) / (2.0 * PI);
            for &t in &nodes {
                assert!(t.cos() * x + t.sin() >= -1e-12 && t.cos() * xp + t.sin() >= -1e-12, "arc is wrong");
            }
            let expected = 2.0 * relu + both * (x * xp + 1.0);
            let k = gaussian_ntk(x, xp);
            assert!((k - expected).abs() < 1e-12 * expected.abs().max(1.0), "K({x},{xp}) = {k} vs {expected}");
        }
    }

    #[test]
    fn interpolant_interpolates() {
        let x = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let y = [0.3, -0.4, 0.6, -0.1, 0.5, -0.3];
        let f = KernelInterpolant::gaussian(&x, &y).unwrap();
        for (&xi, &yi) in x.iter().zip(&y) {
            assert!((f.eval(xi) - yi).abs() < 1e-10);
        }
        assert!(f.norm > 0.0 && f.norm.is_finite());
        assert!(KernelInterpolant::gaussian(&[0.0, 0.0], &[1.0, 2.0]).is_err());
    }
}
