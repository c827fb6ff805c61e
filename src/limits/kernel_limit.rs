//! The kernel (lazy) limit τ → ∞ of the scaling path (MATH §4, §6): the minimum-RKHS-norm
//! interpolant of the tangent kernel at initialization,
//!
//! `f_K(x) = K(x, X) K(X, X)⁻¹ y`,   `‖f_K‖_K = (yᵀ K(X, X)⁻¹ y)^½`,
//!
//! with `K(x, x') = ∫ ∇_θφ(θ, x)·∇_θφ(θ, x') dμ0(θ)
//!              = ∫ [(w x + b)₊ (w x' + b)₊ + a² x̃·x̃' 1{w x + b > 0} 1{w x' + b > 0}] dν0`
//! (`∇φ` is 1-homogeneous, so the integral over `μ0` is one over the directions weighted by
//! `ν0`). Three ways to compute it:
//!
//! * the standard Gaussian law (infinite width): the closed form, `ψ` the angle between
//!   `x̃ = (x, 1)` and `x̃'`,
//!   `K(x, x') = |x̃||x̃'|/(2π) · (sin ψ + (π − ψ) cos ψ) + (π − ψ)/(2π) · x̃·x̃'`;
//! * the other laws (infinite width): a quadrature aligned with the breakpoints of the points at
//!   hand (MATH §8: the integrand is kinked exactly there);
//! * finite width: the empirical kernel of the sampled neurons, exactly.
//!
//! At finite τ the linearized (lazy) model predicts, with the initial function `f0 = f_{μ0}`
//! (zero when symmetrized) and `λ ≥ 0` (kernel ridge with kernel `(τ²/2)K`, MATH §6):
//!
//! `f_τ^lazy(x) = τ² f0(x) + K(x, X) (K(X, X) + (2λ/τ²) I)⁻¹ (y − τ² f0(X))`,
//!
//! which tends to `f_K` when `f0 = 0`. Measured with the accurate curve (example.csv):
//! `sup |f_τ − f_K|` falls like `1/τ²` (4.3e-3 at τ = 63, 1.9e-6 at τ = 10³) — faster than the
//! `1/τ` MATH §4 reports as observed (that measurement carried the unaligned-quadrature error).
//! When `f0 ≠ 0` (an asymmetric finite-width initialization) the linearization needs
//! displacements `δ ~ τ f0`, as large as the neurons themselves: the lazy prediction is then
//! not a limit of the path (measured: the distance grows like `τ²`), so MATH §4's "plus
//! `f_{μ0^τ}` when not symmetrized" holds only for the linearized model.

use crate::input::error::{Error, Result};
use crate::network::init::{InitialMeasure, Law, Width, aligned_rule, data_range};
use crate::numeric::linalg::cholesky_solve;
use ndarray::Array2;
use std::f64::consts::PI;

/// Directions of the quadrature rule for `K(X, X)` (aligned with the data).
const GRAM_DIRECTIONS: usize = 16_384;
/// Directions of the rule for one row `K(x, X)` (aligned with the data and `x`).
const ROW_DIRECTIONS: usize = 2_048;

/// The tangent kernel of the standard Gaussian initialization, `K(x, x')`.
pub fn gaussian_ntk(x: f64, xp: f64) -> f64 {
    let (n1, n2) = (f64::sqrt(x * x + 1.0), f64::sqrt(xp * xp + 1.0));
    let dot = x * xp + 1.0;
    // ψ from atan2 of |x̃ × x̃'| and x̃·x̃': accurate also for nearly parallel vectors.
    let psi = libm::atan2((x - xp).abs(), dot);
    n1 * n2 / (2.0 * PI) * (libm::sin(psi) + (PI - psi) * libm::cos(psi)) + (PI - psi) / (2.0 * PI) * dot
}

/// `∇φ(θ, x)·∇φ(θ, x')` for one neuron `θ = (a, w, b)`.
fn ntk_integrand(t: &[f64; 3], x: f64, xp: f64) -> f64 {
    let (u, v) = (t[1] * x + t[2], t[1] * xp + t[2]);
    if u > 0.0 && v > 0.0 { u * v + t[0] * t[0] * (x * xp + 1.0) } else { 0.0 }
}

/// `Σ_p ω_p ∇φ(θ_p, x)·∇φ(θ_p, x')`.
fn ntk_sum(neurons: &[[f64; 3]], weights: &[f64], x: f64, xp: f64) -> f64 {
    neurons.iter().zip(weights).map(|(t, &w)| w * ntk_integrand(t, x, xp)).sum()
}

/// How `K` is computed for an initial measure.
#[derive(Debug, Clone)]
pub enum TangentKernel {
    /// Closed form of the standard Gaussian.
    Gaussian,
    /// Quadrature of a law, re-aligned with the points of each evaluation; `range` is the data
    /// range (the kink range of `uniform-kinks`).
    Quadrature { law: Law, range: (f64, f64) },
    /// The empirical kernel of sampled neurons.
    Empirical { neurons: Vec<[f64; 3]>, weights: Vec<f64> },
}

impl TangentKernel {
    /// The kernel of the initial measure `init` for data abscissas `x`.
    pub fn of(init: &InitialMeasure, x: &[f64]) -> TangentKernel {
        match (init.width, init.law) {
            (Width::Directions(_), Law::Gaussian) => TangentKernel::Gaussian,
            (Width::Directions(_), law) => TangentKernel::Quadrature { law, range: data_range(x) },
            (Width::Neurons { .. }, _) => {
                TangentKernel::Empirical { neurons: init.neurons.clone(), weights: init.weights.clone() }
            }
        }
    }

    /// `"closed-form"`, `"quadrature"` or `"empirical"`.
    pub fn kind(&self) -> &'static str {
        match self {
            TangentKernel::Gaussian => "closed-form",
            TangentKernel::Quadrature { .. } => "quadrature",
            TangentKernel::Empirical { .. } => "empirical",
        }
    }

    /// `K(X, X)`.
    pub fn gram(&self, x: &[f64]) -> Array2<f64> {
        let n = x.len();
        match self {
            TangentKernel::Gaussian => Array2::from_shape_fn((n, n), |(i, j)| gaussian_ntk(x[i], x[j])),
            TangentKernel::Quadrature { law, range } => {
                let (neurons, weights) = aligned_rule(*law, GRAM_DIRECTIONS, x, *range);
                symmetric_gram(n, |i, j| ntk_sum(&neurons, &weights, x[i], x[j]))
            }
            TangentKernel::Empirical { neurons, weights } => {
                symmetric_gram(n, |i, j| ntk_sum(neurons, weights, x[i], x[j]))
            }
        }
    }

    /// `K(t, X)`.
    pub fn row(&self, t: f64, x: &[f64]) -> Vec<f64> {
        match self {
            TangentKernel::Gaussian => x.iter().map(|&xi| gaussian_ntk(t, xi)).collect(),
            TangentKernel::Quadrature { law, range } => {
                let mut points = x.to_vec();
                // A point within round-off of a data abscissa would cut a sector of zero width.
                let scale = x.iter().fold(1.0f64, |m, v| m.max(v.abs()));
                if x.iter().all(|xi| (xi - t).abs() > 1e-12 * scale) {
                    points.push(t);
                }
                let (neurons, weights) = aligned_rule(*law, ROW_DIRECTIONS, &points, *range);
                x.iter().map(|&xi| ntk_sum(&neurons, &weights, t, xi)).collect()
            }
            TangentKernel::Empirical { neurons, weights } => {
                x.iter().map(|&xi| ntk_sum(neurons, weights, t, xi)).collect()
            }
        }
    }
}

fn symmetric_gram(n: usize, k: impl Fn(usize, usize) -> f64) -> Array2<f64> {
    let mut g = Array2::zeros((n, n));
    for i in 0..n {
        for j in i..n {
            let v = k(i, j);
            g[[i, j]] = v;
            g[[j, i]] = v;
        }
    }
    g
}

/// The kernel limit of data `(x, y)` for an initial measure, on a plotting grid.
#[derive(Debug, Clone)]
pub struct KernelLimit {
    kernel: TangentKernel,
    y: Vec<f64>,
    gram: Array2<f64>,
    /// `K(g, X)` for each grid point `g`.
    rows: Vec<Vec<f64>>,
    /// `f0(X)` and `f0` on the grid (all zero when the initial function vanishes).
    initial_at_data: Vec<f64>,
    initial_on_grid: Vec<f64>,
    /// `f_K` on the grid and `‖f_K‖_K = (yᵀ K⁻¹ y)^½`; `None` when `K(X, X)` is singular
    /// (repeated abscissas, only valid at λ > 0, or a finite width too small for the data).
    interpolant: Option<(Vec<f64>, f64)>,
}

impl KernelLimit {
    /// Builds `K(X, X)` and `K(g, X)` for the grid, and solves `K c = y` by Cholesky.
    pub fn new(init: &InitialMeasure, x: &[f64], y: &[f64], grid: &[f64]) -> KernelLimit {
        let kernel = TangentKernel::of(init, x);
        let gram = kernel.gram(x);
        let rows: Vec<Vec<f64>> = grid.iter().map(|&t| kernel.row(t, x)).collect();
        let initial_at_data: Vec<f64> = x.iter().map(|&t| init.function(t)).collect();
        let initial_on_grid: Vec<f64> = if initial_at_data.iter().any(|v| *v != 0.0) {
            grid.iter().map(|&t| init.function(t)).collect()
        } else {
            vec![0.0; grid.len()]
        };
        let interpolant = cholesky_solve(&gram, y).map(|c| {
            let norm2 = dot(&c, y);
            (rows.iter().map(|r| dot(r, &c)).collect(), f64::sqrt(norm2.max(0.0)))
        });
        KernelLimit { kernel, y: y.to_vec(), gram, rows, initial_at_data, initial_on_grid, interpolant }
    }

    /// The kernel used.
    pub fn kernel(&self) -> &TangentKernel {
        &self.kernel
    }

    /// `f_K = K(·, X) K(X, X)⁻¹ y` on the grid, if `K(X, X)` is invertible.
    pub fn fit(&self) -> Option<&[f64]> {
        self.interpolant.as_ref().map(|(f, _)| f.as_slice())
    }

    /// `‖f_K‖_K`, if `K(X, X)` is invertible.
    pub fn norm(&self) -> Option<f64> {
        self.interpolant.as_ref().map(|(_, n)| *n)
    }

    /// The lazy prediction at scale τ with data-fit weight λ (module docs) on the grid; `None`
    /// when the (regularized) kernel matrix is singular.
    pub fn lazy_fit(&self, tau: f64, lambda: f64) -> Option<Vec<f64>> {
        let tau2 = tau * tau;
        let n = self.y.len();
        let target: Vec<f64> = self.y.iter().zip(&self.initial_at_data).map(|(y, f0)| y - tau2 * f0).collect();
        let mut gram = self.gram.clone();
        for i in 0..n {
            gram[[i, i]] += 2.0 * lambda / tau2;
        }
        let c = cholesky_solve(&gram, &target)?;
        Some(self.rows.iter().zip(&self.initial_on_grid).map(|(r, f0)| tau2 * f0 + dot(r, &c)).collect())
    }
}

fn dot(u: &[f64], v: &[f64]) -> f64 {
    u.iter().zip(v).map(|(a, b)| a * b).sum()
}

fn singular() -> Error {
    Error::Usage("the tangent-kernel matrix is singular: are two abscissas equal, or is the width too small?".to_string())
}

/// The closed-form Gaussian kernel interpolant (kept for the tests and benchmarks that compare
/// against it).
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
        let k = TangentKernel::Gaussian.gram(x);
        let c = cholesky_solve(&k, y).ok_or_else(singular)?;
        let norm2: f64 = dot(&c, y);
        Ok(KernelInterpolant { x: x.to_vec(), coefficients: c, norm: f64::sqrt(norm2.max(0.0)) })
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
        use crate::network::quadrature::gauss_legendre_on;
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

    /// The quadrature kernel of the Gaussian law (the path of every other law) against the
    /// closed form, on and off the data.
    #[test]
    fn quadrature_kernel_matches_the_closed_form() {
        let x = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let q = TangentKernel::Quadrature { law: Law::Gaussian, range: data_range(&x) };
        let g = q.gram(&x);
        for i in 0..x.len() {
            for j in 0..x.len() {
                assert!((g[[i, j]] - gaussian_ntk(x[i], x[j])).abs() < 1e-9, "K({i},{j})");
            }
        }
        for t in [-3.0, -1.0, 0.123, 1.7, 2.9] {
            for (k, &xi) in q.row(t, &x).iter().zip(&x) {
                assert!((k - gaussian_ntk(t, xi)).abs() < 1e-8, "K({t},{xi}) = {k}");
            }
        }
    }

    /// The sphere law is the Gaussian's directions with mass 1 instead of 3: same kernel / 3.
    #[test]
    fn sphere_kernel_is_a_third_of_the_gaussian() {
        let x = [-1.0, 0.4, 2.0];
        let q = TangentKernel::Quadrature { law: Law::Sphere, range: data_range(&x) };
        for t in [-2.0, 0.0, 0.7] {
            for (k, &xi) in q.row(t, &x).iter().zip(&x) {
                assert!((3.0 * k - gaussian_ntk(t, xi)).abs() < 1e-8);
            }
        }
    }

    /// Finite width: the empirical kernel is the sum over neurons, and λ → 0, f0 = 0 turns the
    /// lazy prediction into the interpolant.
    #[test]
    fn empirical_kernel_and_lazy_prediction() {
        let x = [-1.0, 0.0, 1.5];
        let y = [0.5, -0.2, 0.8];
        let init = InitialMeasure::new(Law::Gaussian, false, Width::Neurons { m: 301, seed: 7 }, &x).unwrap();
        let limit = KernelLimit::new(&init, &x, &y, &x);
        assert_eq!(limit.kernel().kind(), "empirical");
        let direct: f64 =
            init.neurons.iter().map(|t| ntk_integrand(t, -1.0, 1.5)).sum::<f64>() / init.neurons.len() as f64;
        assert!((limit.kernel().row(-1.0, &x)[2] - direct).abs() < 1e-12);
        // Asymmetric: f0 ≠ 0, yet the lazy prediction interpolates at any τ (with the grid = X).
        assert!(x.iter().any(|&t| init.function(t).abs() > 1e-3));
        for tau in [0.5, 3.0] {
            let f = limit.lazy_fit(tau, 0.0).unwrap();
            for (fi, yi) in f.iter().zip(&y) {
                assert!((fi - yi).abs() < 1e-9, "τ {tau}: {fi} vs {yi}");
            }
        }
        // λ > 0 at τ = 1: kernel ridge with ridge 2λ, checked through its normal equations
        // K(X,X) c + 2λ c = y − f0(X) and f = f0 + K c (here the grid is X).
        let lambda = 0.3;
        let f = limit.lazy_fit(1.0, lambda).unwrap();
        let f0: Vec<f64> = x.iter().map(|&t| init.function(t)).collect();
        // y − f = 2λ c  ⇒  K (y − f)/(2λ) = f − f0.
        let c: Vec<f64> = y.iter().zip(&f).map(|(a, b)| (a - b) / (2.0 * lambda)).collect();
        for i in 0..3 {
            let kc: f64 = (0..3).map(|j| limit.kernel().row(x[i], &x)[j] * c[j]).sum();
            assert!((kc - (f[i] - f0[i])).abs() < 1e-10, "{kc} vs {}", f[i] - f0[i]);
        }
    }
}
