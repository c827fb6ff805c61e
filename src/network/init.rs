//! Initial measures at scale 1 (MATH §2, §8): `Σ_p ω_p δ(θ_p)`.
//!
//! * **Infinite width** — a deterministic quadrature of the projected measure `ν0 = h(μ0)` on
//!   the sphere: unit directions `θ_p = (sin β, cos β cos ϕ, cos β sin ϕ)` with weights summing
//!   to the mass of `ν0` (`E|θ|²`). The `ϕ` nodes are Gauss–Legendre **within each sector
//!   between the data breakpoints**, so that every integral over the data is of a smooth
//!   integrand (MATH §8); `β` nodes are Gauss–Legendre on `[−π/2, π/2]`, symmetric under
//!   `β → −β`, i.e. `a → −a`.
//! * **Finite width** — `m` neurons drawn from `μ0` with an explicitly seeded xoshiro256++
//!   generator and `libm` transcendental functions, so that a law, `m` and a seed give the same
//!   bits on every platform; weights `1/m`. Symmetrized: `m/2` draws, each followed by its twin
//!   `(−a, w, b)`.
//!
//! Laws: `gaussian` `N(0, I₃)` (mass 3); `sphere` uniform on `S²` (mass 1); `balanced`
//! `(w, b) ~ N(0, I₂)`, `a = ±|(w, b)|` (mass 4); `uniform-kinks` `a ~ N(0, 1)`,
//! `(w, b) = ±ρ (1, −u)/√(1 + u²)` with `ρ = |N(0, I₂)|` and the kink `u = −b/w` uniform over
//! the data range (mass 3).

use crate::input::error::{Error, Result};
use crate::network::geometry::Sectors;
use crate::network::quadrature::gauss_legendre_on;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use serde::Serialize;
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};
use std::str::FromStr;

/// The base law `μ0` of the initial neurons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Law {
    /// Standard Gaussian `N(0, I₃)` — the default.
    Gaussian,
    /// Uniform on the unit sphere `S²`.
    Sphere,
    /// `|a| = |(w, b)|`, `(w, b) ~ N(0, I₂)`.
    Balanced,
    /// Kink positions `−b/w` uniform over the data range.
    UniformKinks,
}

impl Law {
    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Law::Gaussian => "gaussian",
            Law::Sphere => "sphere",
            Law::Balanced => "balanced",
            Law::UniformKinks => "uniform-kinks",
        }
    }

    /// Mass of `ν0 = h(μ0)` for inputs in the plane (`θ ∈ R⁴`): `E|θ|²`, the one-dimensional
    /// law one dimension up (gaussian 4, sphere 1, balanced 6).
    pub fn plane_mass(self) -> f64 {
        match self {
            Law::Gaussian | Law::UniformKinks => 4.0,
            Law::Sphere => 1.0,
            Law::Balanced => 6.0,
        }
    }

    /// Mass of `ν0 = h(μ0)`, i.e. `E|θ|²`.
    pub fn mass(self) -> f64 {
        match self {
            Law::Gaussian | Law::UniformKinks => 3.0,
            Law::Sphere => 1.0,
            Law::Balanced => 4.0,
        }
    }
}

impl FromStr for Law {
    type Err = Error;
    fn from_str(s: &str) -> Result<Law> {
        match s {
            "gaussian" => Ok(Law::Gaussian),
            "sphere" => Ok(Law::Sphere),
            "balanced" => Ok(Law::Balanced),
            "uniform-kinks" => Ok(Law::UniformKinks),
            other => Err(Error::UnknownLaw(other.to_string())),
        }
    }
}

/// How the initial measure is discretized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Infinite width: a quadrature with about this many directions.
    Directions(usize),
    /// Finite width: `m` neurons sampled with `seed`.
    Neurons { m: usize, seed: u64 },
}

/// The initial measure at scale 1: `Σ_p weights[p] · δ(neurons[p])`.
#[derive(Debug, Clone, PartialEq)]
pub struct InitialMeasure {
    /// Base law.
    pub law: Law,
    /// Symmetrized (`a → −a` twins).
    pub symmetric: bool,
    /// Quadrature or sampled.
    pub width: Width,
    /// `θ_p = (a, w, b)` at scale 1.
    pub neurons: Vec<[f64; 3]>,
    /// `ω_p`.
    pub weights: Vec<f64>,
}

impl InitialMeasure {
    /// Builds the initial measure for data abscissas `x` (used for the quadrature's alignment
    /// and for the range of `uniform-kinks`). Counts must have been validated by the caller.
    pub fn new(law: Law, symmetric: bool, width: Width, x: &[f64]) -> Result<InitialMeasure> {
        let (neurons, weights) = match width {
            Width::Directions(n) => quadrature(law, n, x),
            Width::Neurons { m, seed } => {
                if symmetric && m % 2 == 1 {
                    return Err(Error::OddSymmetricWidth(m));
                }
                let neurons = sample(law, symmetric, m, seed, data_range(x));
                let weights = vec![1.0 / m as f64; m];
                (neurons, weights)
            }
        };
        Ok(InitialMeasure { law, symmetric, width, neurons, weights })
    }

    /// Number of source neurons / directions.
    pub fn len(&self) -> usize {
        self.neurons.len()
    }

    /// True when there are no neurons (never for a validated configuration).
    pub fn is_empty(&self) -> bool {
        self.neurons.is_empty()
    }

    /// The initial function at scale 1, `f_{μ0}(x) = Σ_p ω_p φ(θ_p, x)` (zero when symmetric).
    pub fn function(&self, x: f64) -> f64 {
        self.neurons
            .iter()
            .zip(&self.weights)
            .map(|(t, &w)| w * crate::network::model::phi(*t, x))
            .sum()
    }
}

/// `[min x, max x]`, widened to `[x − 1, x + 1]` for a single abscissa.
pub fn data_range(x: &[f64]) -> (f64, f64) {
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if hi > lo { (lo, hi) } else { (lo - 1.0, hi + 1.0) }
}

/// Largest even number `≤ v`, at least 2.
fn even_floor(v: usize) -> usize {
    (v & !1).max(2)
}

/// Gauss–Legendre in `β` (weight `cos β`, normalized to total `mass`) × the given `ϕ` nodes.
fn product_rule(mass: f64, n_beta: usize, phis: &[(f64, f64)]) -> (Vec<[f64; 3]>, Vec<f64>) {
    let (betas, wb) = gauss_legendre_on(n_beta, -FRAC_PI_2, FRAC_PI_2);
    // ∫ cos β dβ over [−π/2, π/2] is 2; the ϕ weights sum to 1.
    let mut neurons = Vec::with_capacity(n_beta * phis.len());
    let mut weights = Vec::with_capacity(n_beta * phis.len());
    let trig: Vec<(f64, f64)> = phis.iter().map(|&(phi, _)| (libm::cos(phi), libm::sin(phi))).collect();
    for (&beta, &wbeta) in betas.iter().zip(&wb) {
        let (sb, cb) = (libm::sin(beta), libm::cos(beta));
        for (&(_, wphi), &(cp, sp)) in phis.iter().zip(&trig) {
            neurons.push([sb, cb * cp, cb * sp]);
            weights.push(mass * 0.5 * cb * wbeta * wphi);
        }
    }
    (neurons, weights)
}

/// The data-aligned quadrature of `ν0` with about `n` directions (MATH §8).
fn quadrature(law: Law, n: usize, x: &[f64]) -> (Vec<[f64; 3]>, Vec<f64>) {
    aligned_rule(law, n, x, data_range(x))
}

/// A quadrature of `ν0` with about `n` directions whose `ϕ` nodes are aligned with the
/// breakpoints of `x` (MATH §8); `range` is the kink range of `uniform-kinks` (the data range,
/// which must not move when `x` holds an extra evaluation point). Weights sum to the law's mass.
pub fn aligned_rule(law: Law, n: usize, x: &[f64], range: (f64, f64)) -> (Vec<[f64; 3]>, Vec<f64>) {
    aligned_rule_where(law, n, x, range, |_| true)
}

/// The nodes of [`aligned_rule`] whose `(w, b)` direction `u` (a unit vector) has `keep(u)`,
/// in the same order and with the same bits, without computing the others: the re-aligned
/// curves need only the nodes of the two sectors a grid point cuts.
pub fn aligned_rule_where(law: Law, n: usize, x: &[f64], range: (f64, f64), keep: impl Fn([f64; 2]) -> bool) -> (Vec<[f64; 3]>, Vec<f64>) {
    let keep_phi = |&(phi, _): &(f64, f64)| keep([libm::cos(phi), libm::sin(phi)]);
    let sectors = Sectors::new(x);
    let s = sectors.len();
    let per_sector_phis = |n_phi: usize| -> Vec<(f64, f64)> {
        let mut phis = Vec::with_capacity(s * n_phi);
        for k in 0..s {
            let (a0, a1) = sectors.sector_span(k);
            let (nodes, w) = gauss_legendre_on(n_phi, a0, a1);
            phis.extend(nodes.into_iter().zip(w.into_iter().map(|v| v / (2.0 * PI))));
        }
        phis
    };
    match law {
        Law::Gaussian | Law::Sphere => {
            let total_phi = f64::sqrt(2.0 * n as f64);
            let n_phi = ((total_phi / s as f64).round() as usize).max(1);
            let n_beta = even_floor(n / (s * n_phi));
            let phis: Vec<(f64, f64)> = per_sector_phis(n_phi).into_iter().filter(keep_phi).collect();
            product_rule(law.mass(), n_beta, &phis)
        }
        Law::Balanced => {
            let n_phi = (n / (2 * s)).max(1);
            let phis: Vec<(f64, f64)> = per_sector_phis(n_phi).into_iter().filter(keep_phi).collect();
            let mut neurons = Vec::with_capacity(2 * phis.len());
            let mut weights = Vec::with_capacity(2 * phis.len());
            for beta in [-FRAC_PI_4, FRAC_PI_4] {
                let (sb, cb) = (libm::sin(beta), libm::cos(beta));
                for &(phi, wphi) in &phis {
                    neurons.push([sb, cb * libm::cos(phi), cb * libm::sin(phi)]);
                    weights.push(law.mass() * 0.5 * wphi);
                }
            }
            (neurons, weights)
        }
        Law::UniformKinks => {
            let (lo, hi) = range;
            let mut cuts: Vec<f64> = x.iter().copied().filter(|v| (lo..=hi).contains(v)).collect();
            cuts.push(lo);
            cuts.push(hi);
            cuts.sort_by(f64::total_cmp);
            cuts.dedup();
            let intervals = cuts.len() - 1;
            let total_u = f64::sqrt(2.0 * n as f64);
            let n_u = ((total_u / (2 * intervals) as f64).round() as usize).max(1);
            let n_beta = even_floor(n / (2 * intervals * n_u));
            let mut phis = Vec::with_capacity(2 * intervals * n_u);
            for sign in [1.0, -1.0] {
                for win in cuts.windows(2) {
                    let (us, wu) = gauss_legendre_on(n_u, win[0], win[1]);
                    for (&u, &w) in us.iter().zip(&wu) {
                        // Direction σ(1, −u)/√(1 + u²) of (w, b); weight: ½ · du/(hi − lo).
                        phis.push((libm::atan2(-sign * u, sign), 0.5 * w / (hi - lo)));
                    }
                }
            }
            let phis: Vec<(f64, f64)> = phis.into_iter().filter(keep_phi).collect();
            product_rule(law.mass(), n_beta, &phis)
        }
    }
}

/// A seeded stream of uniform and normal deviates, identical on every platform.
struct Deviates(Xoshiro256PlusPlus);

impl Deviates {
    /// Uniform in `(0, 1]` with 53 random bits.
    fn uniform(&mut self) -> f64 {
        ((self.0.next_u64() >> 11) as f64 + 1.0) * (1.0 / (1u64 << 53) as f64)
    }
    /// A pair of independent standard normals (Box–Muller).
    fn normal_pair(&mut self) -> (f64, f64) {
        let r = f64::sqrt(-2.0 * libm::log(self.uniform()));
        let angle = 2.0 * PI * self.uniform();
        (r * libm::cos(angle), r * libm::sin(angle))
    }
    /// Random sign.
    fn sign(&mut self) -> f64 {
        if self.0.next_u64() >> 63 == 0 { 1.0 } else { -1.0 }
    }
}

/// One neuron from `law`.
fn draw(law: Law, rng: &mut Deviates, (lo, hi): (f64, f64)) -> [f64; 3] {
    match law {
        Law::Gaussian => {
            let (a, w) = rng.normal_pair();
            let (b, _) = rng.normal_pair();
            [a, w, b]
        }
        Law::Sphere => loop {
            let (a, w) = rng.normal_pair();
            let (b, _) = rng.normal_pair();
            let r = f64::sqrt(a * a + w * w + b * b);
            if r > 1e-300 {
                break [a / r, w / r, b / r];
            }
        },
        Law::Balanced => {
            let (w, b) = rng.normal_pair();
            let r = f64::sqrt(w * w + b * b);
            [rng.sign() * r, w, b]
        }
        Law::UniformKinks => {
            let u = lo + (hi - lo) * rng.uniform();
            let (g1, g2) = rng.normal_pair();
            let (a, _) = rng.normal_pair();
            let rho = f64::sqrt(g1 * g1 + g2 * g2) * rng.sign();
            let norm = f64::sqrt(1.0 + u * u);
            [a, rho / norm, -rho * u / norm]
        }
    }
}

/// `m` neurons from `law`, seeded; symmetrized as `θ, (−a, w, b), θ', …`.
fn sample(law: Law, symmetric: bool, m: usize, seed: u64, range: (f64, f64)) -> Vec<[f64; 3]> {
    let mut rng = Deviates(Xoshiro256PlusPlus::seed_from_u64(seed));
    let mut neurons = Vec::with_capacity(m);
    while neurons.len() < m {
        let t = draw(law, &mut rng, range);
        neurons.push(t);
        if symmetric {
            neurons.push([-t[0], t[1], t[2]]);
        }
    }
    neurons
}

/// One neuron `(a, w₁, w₂, b)` for inputs in the plane from `law`, one dimension up:
/// `gaussian` `N(0, I₄)`; `sphere` uniform on `S³`; `balanced` `w ~ N(0, I₃)`, `a = ±|w|`
/// (mass 6). `uniform-kinks` has no counterpart in the plane (`None`).
fn draw_plane(law: Law, rng: &mut Deviates) -> Option<[f64; 4]> {
    Some(match law {
        Law::Gaussian => {
            let (a, w1) = rng.normal_pair();
            let (w2, b) = rng.normal_pair();
            [a, w1, w2, b]
        }
        Law::Sphere => loop {
            let (a, w1) = rng.normal_pair();
            let (w2, b) = rng.normal_pair();
            let r = f64::sqrt(a * a + w1 * w1 + w2 * w2 + b * b);
            if r > 1e-300 {
                break [a / r, w1 / r, w2 / r, b / r];
            }
        },
        Law::Balanced => {
            let (w1, w2) = rng.normal_pair();
            let (b, _) = rng.normal_pair();
            let r = f64::sqrt(w1 * w1 + w2 * w2 + b * b);
            [rng.sign() * r, w1, w2, b]
        }
        Law::UniformKinks => return None,
    })
}

/// `m` neurons `(a, w₁, w₂, b)` for inputs in the plane from `law`, seeded as in one dimension;
/// symmetrized as `θ, (−a, w), θ', …`. `None` for a law without a counterpart in the plane.
pub fn sample_plane(law: Law, symmetric: bool, m: usize, seed: u64) -> Option<Vec<[f64; 4]>> {
    let mut rng = Deviates(Xoshiro256PlusPlus::seed_from_u64(seed));
    let mut neurons = Vec::with_capacity(m);
    while neurons.len() < m {
        let t = draw_plane(law, &mut rng)?;
        neurons.push(t);
        if symmetric {
            neurons.push([-t[0], t[1], t[2], t[3]]);
        }
    }
    neurons.truncate(m);
    Some(neurons)
}

/// The balanced law for inputs in the plane at infinite width, projected on the unit sphere
/// (MATH §12): every neuron `(±|w|, w)` has the direction `(±1/√2, u/√2)`, `u = w/|w|` uniform
/// on `S²`, and the mass `E|θ|² = 2E|w|² = 6` — the paper's initial law. `2N` sources: a
/// Fibonacci lattice of `N` points `u` on `S²`, each with both signs of `a`, weights `6/2N`.
pub fn plane_directions(n: usize) -> (Vec<[f64; 4]>, Vec<f64>) {
    let h = std::f64::consts::FRAC_1_SQRT_2;
    let mut neurons = Vec::with_capacity(2 * n);
    for u in fibonacci_sphere(n) {
        for a in [h, -h] {
            neurons.push([a, h * u[0], h * u[1], h * u[2]]);
        }
    }
    let weights = vec![Law::Balanced.plane_mass() / (2 * n) as f64; 2 * n];
    (neurons, weights)
}

/// An independent rule for the same law, to check a [`plane_directions`] solution against:
/// Gauss–Legendre in `u₃` (`k` nodes) times the trapezoid rule in the azimuth (`2k` nodes), both
/// signs of `a` — a product rule, of another family than the lattice.
pub fn plane_check_directions(k: usize) -> (Vec<[f64; 4]>, Vec<f64>) {
    let (z, wz) = gauss_legendre_on(k, -1.0, 1.0);
    let h = std::f64::consts::FRAC_1_SQRT_2;
    let mut neurons = Vec::with_capacity(4 * k * k);
    let mut weights = Vec::with_capacity(4 * k * k);
    for (zi, wi) in z.iter().zip(&wz) {
        let r = f64::sqrt((1.0 - zi * zi).max(0.0));
        for j in 0..2 * k {
            let angle = PI * (j as f64 + 0.5) / k as f64;
            for a in [h, -h] {
                neurons.push([a, h * r * libm::cos(angle), h * r * libm::sin(angle), h * zi]);
                // The area element of S² is dz dϕ (total 4π), both signs share the mass.
                weights.push(Law::Balanced.plane_mass() * wi * (PI / k as f64) / (4.0 * PI) / 2.0);
            }
        }
    }
    (neurons, weights)
}

/// `n` points of a Fibonacci lattice on `S²` (equal areas).
fn fibonacci_sphere(n: usize) -> Vec<[f64; 3]> {
    let golden = PI * (3.0 - f64::sqrt(5.0));
    (0..n)
        .map(|i| {
            let z = 1.0 - (2 * i + 1) as f64 / n as f64;
            let r = f64::sqrt((1.0 - z * z).max(0.0));
            let angle = golden * i as f64;
            [r * libm::cos(angle), r * libm::sin(angle), z]
        })
        .collect()
}

/// The Gaussian `N(0, I₄)` and sphere laws for inputs in the plane at infinite width, projected
/// on the unit sphere `S³` (MATH §12): the per-source problem is 2-homogeneous
/// (`θ*(r u) = r θ*(u)`, `V(r u) = r² V(u)`), so both laws are the uniform law on `S³` with the
/// mass `E|θ|²` (4 and 1). About `n` directions `u = (s, √(1 − s²) v)`: Gauss–Chebyshev of the
/// second kind in `s = a = cos ψ` (`∫ √(1 − s²) f(s) ds`, the area element of `S³` in `s`) —
/// `k = ⌈n^⅓⌉` nodes, symmetric in `a` — times a Fibonacci lattice of `⌈n/k⌉` points `v` on `S²`.
pub fn plane_sphere_directions(law: Law, n: usize) -> (Vec<[f64; 4]>, Vec<f64>) {
    let k = (n.max(8) as f64).cbrt().ceil() as usize;
    let lattice = fibonacci_sphere(n.max(8).div_ceil(k));
    let mut neurons = Vec::with_capacity(k * lattice.len());
    let mut weights = Vec::with_capacity(k * lattice.len());
    for j in 1..=k {
        let angle = PI * j as f64 / (k + 1) as f64;
        let (s, c) = (libm::cos(angle), libm::sin(angle));
        // Gauss–Chebyshev II weight π/(k+1)·sin², over the half-area π/2 of the s-integral.
        let w = law.plane_mass() * 2.0 * c * c / ((k + 1) as f64 * lattice.len() as f64);
        for v in &lattice {
            neurons.push([s, c * v[0], c * v[1], c * v[2]]);
            weights.push(w);
        }
    }
    (neurons, weights)
}

/// An independent rule for [`plane_sphere_directions`]: Gauss–Legendre in the polar angle `ψ`
/// of `S³` (weight `sin²ψ`, `k` nodes) times Gauss–Legendre in `v₃` (`k`) times the trapezoid rule
/// in the azimuth (`2k`) — a product rule of another family than the solve's.
pub fn plane_sphere_check_directions(law: Law, k: usize) -> (Vec<[f64; 4]>, Vec<f64>) {
    let (psi, wpsi) = gauss_legendre_on(k, 0.0, PI);
    let (z, wz) = gauss_legendre_on(k, -1.0, 1.0);
    let mut neurons = Vec::with_capacity(2 * k * k * k);
    let mut weights = Vec::with_capacity(2 * k * k * k);
    for (p, wp) in psi.iter().zip(&wpsi) {
        let (s, c) = (libm::cos(*p), libm::sin(*p));
        for (zi, wi) in z.iter().zip(&wz) {
            let r = f64::sqrt((1.0 - zi * zi).max(0.0));
            for j in 0..2 * k {
                let angle = PI * (j as f64 + 0.5) / k as f64;
                neurons.push([s, c * r * libm::cos(angle), c * r * libm::sin(angle), c * zi]);
                // sin²ψ dψ (total π/2) times the area of S² (dz dϕ, total 4π).
                weights.push(law.plane_mass() * wp * c * c / (PI / 2.0) * wi * (PI / k as f64) / (4.0 * PI));
            }
        }
    }
    (neurons, weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: [f64; 6] = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];

    #[test]
    fn quadrature_mass_and_symmetry() {
        for law in [Law::Gaussian, Law::Sphere, Law::Balanced, Law::UniformKinks] {
            let m = InitialMeasure::new(law, true, Width::Directions(4096), &X).unwrap();
            let mass: f64 = m.weights.iter().sum();
            assert!((mass - law.mass()).abs() < 1e-12, "{law:?}: mass {mass}");
            assert!(m.len() <= 4096 && m.len() >= 2048, "{law:?}: {} directions", m.len());
            let first_moment: f64 = m.neurons.iter().zip(&m.weights).map(|(t, w)| w * t[0]).sum();
            assert!(first_moment.abs() < 1e-12, "{law:?}: E[a] = {first_moment}");
            for t in &m.neurons {
                assert!((t[0] * t[0] + t[1] * t[1] + t[2] * t[2] - 1.0).abs() < 1e-14);
            }
        }
    }

    #[test]
    fn gaussian_quadrature_second_moments() {
        // For ν0 = 3·Uniform(S²): ∫ s sᵀ dν0 = I (each E[s_k²] = 1/3).
        let m = InitialMeasure::new(Law::Gaussian, true, Width::Directions(4096), &X).unwrap();
        for k in 0..3 {
            let v: f64 = m.neurons.iter().zip(&m.weights).map(|(t, w)| w * t[k] * t[k]).sum();
            assert!((v - 1.0).abs() < 1e-12, "component {k}: {v}");
        }
    }

    #[test]
    fn sampling_is_seeded_and_symmetric() {
        let a = sample(Law::Gaussian, true, 10, 7, (0.0, 1.0));
        let b = sample(Law::Gaussian, true, 10, 7, (0.0, 1.0));
        let c = sample(Law::Gaussian, true, 10, 8, (0.0, 1.0));
        assert_eq!(a, b);
        assert_ne!(a, c);
        for pair in a.chunks(2) {
            assert_eq!(pair[0][0], -pair[1][0]);
            assert_eq!(pair[0][1..], pair[1][1..]);
        }
    }

    /// The plane's laws: paired twins `(−a, w)`, `|a| = |w|` for the balanced law, unit norm
    /// for the sphere, the Gaussian's second moment `E|θ|² = 4`; the same seed gives the same bits.
    #[test]
    fn plane_laws() {
        let b = sample_plane(Law::Balanced, true, 2000, 3).expect("balanced");
        for pair in b.chunks(2) {
            assert_eq!(pair[1], [-pair[0][0], pair[0][1], pair[0][2], pair[0][3]]);
            let w = (pair[0][1] * pair[0][1] + pair[0][2] * pair[0][2] + pair[0][3] * pair[0][3]).sqrt();
            assert!((pair[0][0].abs() - w).abs() <= 1e-15 * w);
        }
        let s = sample_plane(Law::Sphere, false, 500, 4).expect("sphere");
        assert!(s.iter().all(|t| (t.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-14));
        let g = sample_plane(Law::Gaussian, false, 40_000, 5).expect("gaussian");
        let second = g.iter().map(|t| t.iter().map(|v| v * v).sum::<f64>()).sum::<f64>() / g.len() as f64;
        assert!((second - 4.0).abs() < 0.1, "E|θ|² = {second}");
        assert_eq!(g, sample_plane(Law::Gaussian, false, 40_000, 5).expect("gaussian"));
        assert!(sample_plane(Law::UniformKinks, true, 10, 0).is_none());
    }

    /// The plane's balanced rules integrate `E|θ|² = 6` and the second moments of `u`
    /// (`E u uᵀ = I/3`) — the lattice to its O(1/N) error, the product rule to round-off.
    #[test]
    fn plane_rules_integrate_moments() {
        for (neurons, weights, tol) in [
            { let (n, w) = plane_directions(4096); (n, w, 2e-3) },
            { let (n, w) = plane_check_directions(16); (n, w, 1e-12) },
        ] {
            let mass: f64 = weights.iter().sum();
            assert!((mass - 6.0).abs() < 1e-12, "mass {mass}");
            assert!(neurons.iter().all(|t| (t.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-12));
            for (p, q) in [(1, 1), (2, 2), (3, 3), (1, 2), (1, 3), (2, 3)] {
                // ∫ θ_p θ_q dν = 6 · E[w_p w_q]/2 with |w|² = 1/2: 6 · (δ_pq/3)/2 = δ_pq.
                let m: f64 = neurons.iter().zip(&weights).map(|(t, w)| w * t[p] * t[q]).sum();
                let expected = if p == q { 1.0 } else { 0.0 };
                assert!((m - expected).abs() < tol, "moment ({p},{q}) = {m}");
            }
        }
    }

    #[test]
    fn sampled_gaussian_moments() {
        let t = sample(Law::Gaussian, false, 40_000, 1, (0.0, 1.0));
        let n = t.len() as f64;
        for k in 0..3 {
            let mean: f64 = t.iter().map(|v| v[k]).sum::<f64>() / n;
            let var: f64 = t.iter().map(|v| v[k] * v[k]).sum::<f64>() / n;
            // Standard errors: 1/200 for the mean, √2/200 for the variance; 5 sigma.
            assert!(mean.abs() < 0.025, "mean {mean}");
            assert!((var - 1.0).abs() < 0.036, "var {var}");
        }
    }

    #[test]
    fn uniform_kinks_fall_in_range() {
        let t = sample(Law::UniformKinks, true, 1000, 3, (-1.6, 1.7));
        for v in &t {
            let kink = -v[2] / v[1];
            assert!((-1.6..=1.7).contains(&kink), "kink {kink}");
        }
        let q = quadrature(Law::UniformKinks, 2048, &X);
        for v in &q.0 {
            let kink = -v[2] / v[1];
            assert!((-1.6 - 1e-12..=1.7 + 1e-12).contains(&kink), "kink {kink}");
        }
    }

    #[test]
    fn odd_symmetric_width_is_an_error() {
        let e = InitialMeasure::new(Law::Gaussian, true, Width::Neurons { m: 5, seed: 1 }, &X);
        assert_eq!(e.unwrap_err(), Error::OddSymmetricWidth(5));
    }
}

#[cfg(test)]
mod sphere_rule_tests {
    use super::*;

    /// Both rules of the uniform law on `S³` integrate its mass and its moments `E u_k² = 1/4`,
    /// `E u_k⁴ = 1/8` (the uniform law on `S³`: `E u₁⁴ = 3/(d(d+2)) = 1/8`), and `E |u₁| = 4/(3π)`.
    #[test]
    fn sphere_rules_integrate_the_uniform_law() {
        for (name, (t, w)) in [("solve", plane_sphere_directions(Law::Gaussian, 4096)), ("check", plane_sphere_check_directions(Law::Gaussian, 24))] {
            let mass: f64 = w.iter().sum();
            assert!((mass - 4.0).abs() < 1e-12, "{name}: mass {mass}");
            for k in 0..4 {
                let m2: f64 = t.iter().zip(&w).map(|(u, w)| w * u[k] * u[k]).sum::<f64>() / mass;
                let m4: f64 = t.iter().zip(&w).map(|(u, w)| w * u[k].powi(4)).sum::<f64>() / mass;
                let m1: f64 = t.iter().zip(&w).map(|(u, w)| w * u[k].abs()).sum::<f64>() / mass;
                assert!((m2 - 0.25).abs() < 2e-3, "{name}: E u_{k}² = {m2}");
                assert!((m4 - 0.125).abs() < 2e-3, "{name}: E u_{k}⁴ = {m4}");
                assert!((m1 - 4.0 / (3.0 * PI)).abs() < 5e-3, "{name}: E |u_{k}| = {m1}");
            }
            assert!(t.iter().all(|u| (u.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-12), "{name}: unit directions");
        }
    }
}
