//! The concave dual of the scaling-path problem (MATH §6):
//!
//! `D(α) = ⟨α, y⟩ − (λ/2)|α|² + τ² Σ_p ω_p V_α(θ_p)`,
//!
//! with `V_α` the exact per-direction minimum of [`crate::dual::direction`]. Its gradient is
//! `∇D = y − λα − f(X)` where `f(X) = τ² Σ_p ω_p φ(θ*_p, X)` is the fit of the pushed-forward
//! measure, and its Hessian (where smooth) is `−λI − J`, `J = ∂f(X)/∂α`:
//!
//! * interior of sector `k`: `J += (τ²ω/2) [x;1]_k (CᵀKC) [x;1]_kᵀ` with
//!   `C = [[θ_w, θ_b], [θ_a, 0], [0, θ_a]]`, `K = (I − M_k)⁻¹` and `[x;1]_k` the rows of the
//!   points active in sector `k`;
//! * boundary ray `r`: `J += τ²ω · ½ (ρ, a) K₂ (ρ, a)ᵀ · g_r g_rᵀ`, `K₂ = (I − [[0, c/2], [c/2, 0]])⁻¹`,
//!   `g_r = ((e_r·x̃_i)₊)_i`;
//! * dead neurons contribute nothing.
//!
//! Contributions are summed per sector and per ray, so the Hessian costs `O(1)` per direction
//! plus `O(sectors · n²)`.

//!
//! This folder: the dual itself here ([`DualProblem`], [`DualEval`]: `D`, `∇D`, the Hessian and
//! every source's minimizer at one `α`), and the exact per-direction minimizer `θ*_α(t)` with
//! its pieces ([`direction`]), on which everything else — the solver at one τ, the recovery
//! of the measure, the infinite-width solve ([`crate::continuum`]) and the curve between the
//! data — is built.

pub mod arrangement;
pub mod direction;
pub mod geometry;
pub mod plane;

use crate::dual::direction::{Candidate, Choice, Pieces};
use crate::dual::geometry::Geometry;
use crate::network::geometry::Sectors;
use crate::network::init::InitialMeasure;
use ndarray::Array2;

/// One scaling-path problem: data, `λ`, `τ` and the initial measure's sources, for inputs of
/// the dimension `G` (on the line by default).
#[derive(Debug, Clone)]
pub struct DualProblem<G: Geometry = Sectors> {
    /// Data inputs (one per dual variable).
    pub x: Vec<G::Point>,
    /// Targets.
    pub y: Vec<f64>,
    /// Data-fit weight `λ ≥ 0` (0: exact interpolation).
    pub lambda: f64,
    /// Initialization scale `τ > 0`.
    pub tau: f64,
    /// Sources `θ_p` at scale 1.
    pub sources: Vec<G::Neuron>,
    /// Source weights `ω_p`.
    pub weights: Vec<f64>,
    /// The pieces cut by `x` (on the line: the sectors).
    pub geometry: G,
}

/// The dual evaluated at one `α`.
#[derive(Debug, Clone)]
pub struct DualEval<G: Geometry = Sectors> {
    /// The point.
    pub alpha: Vec<f64>,
    /// `G_α`'s pieces.
    pub pieces: G::Pieces,
    /// `D(α)` (`−∞` outside the domain).
    pub value: f64,
    /// The round-off level of `value`: `10⁻¹⁵ (|⟨α, y⟩| + λ|α|²/2 + τ² Σ ω_p |V_p|)`. Gains
    /// of `D` below this cannot be told from noise.
    pub noise: f64,
    /// `f(X)` of the pushed-forward measure (empty outside the domain).
    pub fit: Vec<f64>,
    /// The minimizer chosen for each source (empty outside the domain).
    pub choices: Vec<geometry::Choice<G::Neuron, G::Label>>,
}

impl<G: Geometry> DualEval<G> {
    /// `∇D(α) = y − λα − f(X)`.
    pub fn gradient(&self, problem: &DualProblem<G>) -> Vec<f64> {
        (0..problem.x.len())
            .map(|i| problem.y[i] - problem.lambda * self.alpha[i] - self.fit[i])
            .collect()
    }
}

/// The curvature sums `(s00, s01, s11) = (m/2) CᵀKC` of a neuron `θ` of mass `m` in the
/// interior of sector `k`: `K = [[1/d, vᵀ/d], [v/d, I + v vᵀ/d]]`, columns of `C`:
/// `c0 = (θ_w, θ_a, 0)`, `c1 = (θ_b, 0, θ_a)`. Its `J` is `s00 x_i x_l + s01 (x_i + x_l) + s11`
/// over the sector's active points.
fn interior_curvature(pieces: &Pieces, k: usize, th: [f64; 3], m: f64) -> [f64; 3] {
    let inv = pieces.inv_d[k];
    let v = pieces.v[k];
    let quad = |p: [f64; 3], q: [f64; 3]| -> f64 {
        let pv = v[0] * p[1] + v[1] * p[2];
        let qv = v[0] * q[1] + v[1] * q[2];
        inv * (p[0] + pv) * (q[0] + qv) + p[1] * q[1] + p[2] * q[2]
    };
    let c0 = [th[1], th[0], 0.0];
    let c1 = [th[2], 0.0, th[0]];
    let h = 0.5 * m;
    [h * quad(c0, c0), h * quad(c0, c1), h * quad(c1, c1)]
}

/// The curvature `½ m (ρ, a) K₂ (ρ, a)ᵀ`, `K₂ = [[1, c/2], [c/2, 1]]/det`, of a neuron on ray
/// `r` (`ρ` its radius along the ray); its `J` is that times `g gᵀ`, `g` the ray's activations.
fn ray_curvature(pieces: &Pieces, r: usize, th: [f64; 3], m: f64) -> f64 {
    let e = pieces.ray[r];
    let rho = th[1] * e[0] + th[2] * e[1];
    let a = th[0];
    0.5 * m * pieces.inv_det[r] * (rho * rho + a * a + pieces.c[r] * rho * a)
}

/// `J_c = ∂(m φ(θ_c, X))/∂α` of one neuron on its piece, in the factored form
/// `Σ_ab S_ab u_a u_bᵀ` (rank ≤ 2): `u = (act·x, act)` in a sector, `(g, 0)` on a ray.
#[derive(Debug, Clone)]
pub struct PieceCurvature {
    u: [Vec<f64>; 2],
    /// `(S00, S01, S11)`.
    s: [f64; 3],
}

impl PieceCurvature {
    /// The curvature of `choice` with mass `m`.
    pub fn new(sectors: &Sectors, x: &[f64], pieces: &Pieces, choice: &Choice, m: f64) -> PieceCurvature {
        match choice.candidate {
            Candidate::Interior(k) => {
                let k = k as usize;
                let act = &sectors.active[k];
                let u0 = x.iter().zip(act).map(|(&xi, &a)| if a { xi } else { 0.0 }).collect();
                let u1 = act.iter().map(|&a| if a { 1.0 } else { 0.0 }).collect();
                PieceCurvature { u: [u0, u1], s: interior_curvature(pieces, k, choice.theta, m) }
            }
            Candidate::Ray(r) => {
                let r = r as usize;
                let s = ray_curvature(pieces, r, choice.theta, m);
                PieceCurvature { u: [sectors.activation[r].clone(), vec![0.0; x.len()]], s: [s, 0.0, 0.0] }
            }
            Candidate::Dead => PieceCurvature { u: [vec![0.0; x.len()], vec![0.0; x.len()]], s: [0.0; 3] },
        }
    }

    /// `h += scale · J_c`.
    pub fn add_to(&self, h: &mut Array2<f64>, scale: f64) {
        let [s00, s01, s11] = self.s.map(|v| v * scale);
        let [u0, u1] = &self.u;
        for i in 0..u0.len() {
            if u0[i] == 0.0 && u1[i] == 0.0 {
                continue;
            }
            let (a, b) = (s00 * u0[i] + s01 * u1[i], s01 * u0[i] + s11 * u1[i]);
            for l in 0..u0.len() {
                h[[i, l]] += a * u0[l] + b * u1[l];
            }
        }
    }
}

/// Per-sector and per-ray sums from which `f(X)` and `J` are assembled.
#[derive(Debug, Clone)]
pub struct Accumulator {
    /// Per sector: `Σ m θ_aθ_w`, `Σ m θ_aθ_b`, and the 2×2 `Σ (m/2) CᵀKC` as `(s00, s01, s11)`.
    sector: Vec<[f64; 5]>,
    /// Per ray: `Σ m aρ` and `Σ m ½ (ρ, a)K₂(ρ, a)ᵀ`.
    ray: Vec<[f64; 2]>,
}

impl Accumulator {
    /// Empty sums for `s` sectors / rays.
    pub fn new(s: usize) -> Accumulator {
        Accumulator { sector: vec![[0.0; 5]; s], ray: vec![[0.0; 2]; s] }
    }

    /// Adds a neuron `θ` on `candidate` with mass `m` (its function is `m φ(θ, ·)`); with
    /// `hessian`, also its contribution to `J`.
    #[inline]
    pub fn add(&mut self, pieces: &Pieces, choice: &Choice, m: f64, hessian: bool) {
        let th = choice.theta;
        match choice.candidate {
            Candidate::Interior(k) => {
                let k = k as usize;
                let acc = &mut self.sector[k];
                acc[0] += m * th[0] * th[1];
                acc[1] += m * th[0] * th[2];
                if hessian {
                    let q = interior_curvature(pieces, k, th, m);
                    acc[2] += q[0];
                    acc[3] += q[1];
                    acc[4] += q[2];
                }
            }
            Candidate::Ray(r) => {
                let r = r as usize;
                let e = pieces.ray[r];
                let rho = th[1] * e[0] + th[2] * e[1];
                let a = th[0];
                let acc = &mut self.ray[r];
                acc[0] += m * a * rho;
                if hessian {
                    acc[1] += ray_curvature(pieces, r, th, m);
                }
            }
            Candidate::Dead => {}
        }
    }

    /// `f(X)` from the sums.
    pub fn fit(&self, sectors: &Sectors, x: &[f64]) -> Vec<f64> {
        let mut f = vec![0.0; x.len()];
        for (k, acc) in self.sector.iter().enumerate() {
            if acc[0] == 0.0 && acc[1] == 0.0 {
                continue;
            }
            for (i, &xi) in x.iter().enumerate() {
                if sectors.active[k][i] {
                    f[i] += acc[0] * xi + acc[1];
                }
            }
        }
        for (r, acc) in self.ray.iter().enumerate() {
            if acc[0] == 0.0 {
                continue;
            }
            for (fi, g) in f.iter_mut().zip(&sectors.activation[r]) {
                *fi += acc[0] * g;
            }
        }
        f
    }

    /// `J = ∂f(X)/∂α` from the sums (symmetric positive semi-definite).
    pub fn jacobian(&self, sectors: &Sectors, x: &[f64]) -> Array2<f64> {
        let n = x.len();
        let mut j = Array2::<f64>::zeros((n, n));
        for (k, acc) in self.sector.iter().enumerate() {
            if acc[2] == 0.0 && acc[3] == 0.0 && acc[4] == 0.0 {
                continue;
            }
            let act = &sectors.active[k];
            for i in 0..n {
                if !act[i] {
                    continue;
                }
                for l in 0..n {
                    if act[l] {
                        j[[i, l]] += acc[2] * x[i] * x[l] + acc[3] * (x[i] + x[l]) + acc[4];
                    }
                }
            }
        }
        for (r, acc) in self.ray.iter().enumerate() {
            if acc[1] == 0.0 {
                continue;
            }
            let g = &sectors.activation[r];
            for i in 0..n {
                if g[i] == 0.0 {
                    continue;
                }
                for l in 0..n {
                    j[[i, l]] += acc[1] * g[i] * g[l];
                }
            }
        }
        j
    }
}

impl DualProblem<Sectors> {
    /// The dual problem of data `(x, y)` (distinct abscissas), fit weight `λ` and scale `τ` for
    /// the initial measure `init`: its neurons at scale 1 are the sources, its weights the `ω_p`,
    /// and the sectors are those cut by `x`.
    pub fn new(x: &[f64], y: &[f64], lambda: f64, tau: f64, init: &InitialMeasure) -> DualProblem {
        DualProblem {
            x: x.to_vec(),
            y: y.to_vec(),
            lambda,
            tau,
            sources: init.neurons.clone(),
            weights: init.weights.clone(),
            geometry: Sectors::new(x),
        }
    }
}

impl<G: Geometry> DualProblem<G> {
    /// Number of dual variables.
    pub fn n(&self) -> usize {
        self.x.len()
    }

    /// `⟨α, y⟩ − (λ/2)|α|²`.
    pub fn linear_part(&self, alpha: &[f64]) -> f64 {
        let ay: f64 = alpha.iter().zip(&self.y).map(|(a, y)| a * y).sum();
        let aa: f64 = alpha.iter().map(|a| a * a).sum();
        ay - 0.5 * self.lambda * aa
    }

    /// Evaluates `D`, the minimizers and `f(X)` at `α` (`value = −∞` outside the domain).
    pub fn evaluate(&self, alpha: &[f64]) -> DualEval<G> {
        crate::numeric::counters::bump(|c| c.evaluations += 1);
        let pieces = self.geometry.pieces(&self.x, alpha);
        if !G::in_domain(&pieces) {
            return DualEval { alpha: alpha.to_vec(), pieces, value: f64::NEG_INFINITY, noise: f64::INFINITY, fit: vec![], choices: vec![] };
        }
        let tau2 = self.tau * self.tau;
        let mut sum_v = 0.0;
        let mut sum_abs_v = 0.0;
        let choices = G::best_all(&pieces, &self.sources);
        for (c, &w) in choices.iter().zip(&self.weights) {
            sum_v += w * c.value;
            sum_abs_v += w * c.value.abs();
        }
        let fit = self.geometry.fit(&self.x, &pieces, &choices, &self.masses());
        let value = self.linear_part(alpha) + tau2 * sum_v;
        let ay: f64 = alpha.iter().zip(&self.y).map(|(a, y)| (a * y).abs()).sum();
        let aa: f64 = alpha.iter().map(|a| a * a).sum();
        let noise = 1e-15 * (ay + 0.5 * self.lambda * aa + tau2 * sum_abs_v);
        DualEval { alpha: alpha.to_vec(), pieces, value, noise, fit, choices }
    }

    /// `τ² ω_p` of every source.
    fn masses(&self) -> Vec<f64> {
        let tau2 = self.tau * self.tau;
        self.weights.iter().map(|&w| tau2 * w).collect()
    }

    /// `J = ∂f(X)/∂α` for the minimizers chosen in `eval` (one candidate per source).
    pub fn jacobian(&self, eval: &DualEval<G>) -> Array2<f64> {
        self.geometry.jacobian(&self.x, &eval.pieces, &self.sources, &eval.choices, &self.masses())
    }

    /// `τ² ω_p φ(θ, X)`: the contribution to `f(X)` of source `p` sent whole to `θ`.
    pub fn column(&self, p: usize, theta: G::Neuron) -> Vec<f64> {
        let m = self.tau * self.tau * self.weights[p];
        self.x.iter().map(|&xi| m * G::phi(theta, xi)).collect()
    }

    /// `φ(θ, X)` (unit mass).
    pub fn phis(&self, theta: G::Neuron) -> Vec<f64> {
        self.x.iter().map(|&xi| G::phi(theta, xi)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::model::phi;
    use crate::network::init::{InitialMeasure, Law, Width};

    fn problem(tau: f64, lambda: f64) -> DualProblem {
        let x = vec![-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let y = vec![0.3, -0.4, 0.6, -0.1, 0.5, -0.3];
        let init = InitialMeasure::new(Law::Gaussian, true, Width::Directions(512), &x).unwrap();
        DualProblem::new(&x, &y, lambda, tau, &init)
    }

    #[test]
    fn alpha_zero_gives_zero() {
        let p = problem(1.0, 0.0);
        let e = p.evaluate(&[0.0; 6]);
        assert!(e.value.abs() < 1e-15);
        assert!(e.fit.iter().all(|f| f.abs() < 1e-15));
    }

    #[test]
    fn fit_matches_direct_sum() {
        let p = problem(2.0, 0.1);
        let alpha = [0.05, -0.08, 0.06, -0.02, 0.07, -0.03];
        let e = p.evaluate(&alpha);
        assert!(e.value.is_finite());
        for (i, &xi) in p.x.iter().enumerate() {
            let direct: f64 = e.choices.iter().zip(&p.weights).map(|(c, w)| 4.0 * w * phi(c.theta, xi)).sum();
            assert!((direct - e.fit[i]).abs() < 1e-12, "{direct} vs {}", e.fit[i]);
        }
    }

    #[test]
    fn outside_domain_is_minus_infinity() {
        let p = problem(1.0, 0.0);
        let e = p.evaluate(&[5.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(e.value, f64::NEG_INFINITY);
    }
}

#[cfg(test)]
mod jacobian_tests {
    use super::*;
    use crate::network::init::{InitialMeasure, Law, Width};

    #[test]
    fn jacobian_matches_finite_differences() {
        let x = vec![-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let y = vec![0.3, -0.4, 0.6, -0.1, 0.5, -0.3];
        let init = InitialMeasure::new(Law::Gaussian, true, Width::Directions(2048), &x).unwrap();
        let p = DualProblem::new(&x, &y, 0.0, 1.0, &init);
        let alpha = vec![0.21, -0.33, 0.18, -0.12, 0.27, -0.09];
        let e = p.evaluate(&alpha);
        let j = p.jacobian(&e);
        let h = 1e-7;
        let mut worst: f64 = 0.0;
        for l in 0..6 {
            let mut ap = alpha.clone();
            ap[l] += h;
            let mut am = alpha.clone();
            am[l] -= h;
            let fp = p.evaluate(&ap).fit;
            let fm = p.evaluate(&am).fit;
            for i in 0..6 {
                let fd = (fp[i] - fm[i]) / (2.0 * h);
                eprintln!("J[{i},{l}] = {:.6} fd {:.6}", j[[i, l]], fd);
                worst = worst.max((fd - j[[i, l]]).abs());
            }
        }
        assert!(worst < 1e-3, "worst {worst}");
    }
}
