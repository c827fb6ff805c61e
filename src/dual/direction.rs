//! The exact per-direction minimization (MATH §7):
//!
//! `V_α(t) = min_θ Q(θ),  Q(θ) = |θ − t|² − G_α(θ),  G_α(θ) = Σ_i α_i φ(θ, x_i)`.
//!
//! In sector `k` of the `(w, b)` plane `G_α(θ) = θᵀM_kθ` with `M_k = [[0, vᵀ], [v, 0]]`,
//! `v = (A_k, B_k)/2`, `A_k = Σ_active α_i x_i`, `B_k = Σ_active α_i`. The minimizer is the best
//! of the valid candidates:
//!
//! * **interior** of sector `k` (when `|v| < 1`): `θ_a = (t_a + v·t_u)/(1 − |v|²)`,
//!   `θ_u = t_u + v θ_a`, valid when `θ_u` lies in sector `k`; `Q = t_a² − (t_a + v·t_u)²/(1 − |v|²)`;
//! * **boundary ray** `e` (when `|c| < 2`, `c = Σ_i α_i (e·x̃_i)₊`): with `p = e·t_u`,
//!   `det = 1 − c²/4`, `a = (t_a + c p/2)/det`, `ρ = (p + c t_a/2)/det`, valid when `ρ > 0`,
//!   neuron `(a, ρe)`; `Q = |t|² − (t_a² + p² + c t_a p)/det`;
//! * **dead** neuron `(t_a, 0, 0)`; `Q = |t|² − t_a²`.
//!
//! `Q` is 2-homogeneous in `t`, so `t` need not be a unit vector. Everything here is `O(n)` per
//! direction once [`Pieces`] has been built for `α`.

use crate::network::geometry::{PairMoments, Sectors, cross};

/// Which piece a minimizer lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Candidate {
    /// Interior of a sector.
    Interior(u32),
    /// On a breakpoint ray (the neuron's kink sits exactly at a data point).
    Ray(u32),
    /// `(w, b) = 0`: the neuron is switched off.
    Dead,
}

/// A candidate minimizer of one sector's, ray's or the dead piece, with its value.
pub type Choice = crate::dual::geometry::Choice<[f64; 3], Candidate>;

/// `(Q, |θ − t|²)` of the interior candidate, written without cancellation: with
/// `δ = v·t_u`, `d = 1 − |v|²`, `Q = −(t_a²|v|² + 2t_aδ + δ²)/d`, `θ_a − t_a = (δ + t_a|v|²)/d`,
/// `θ_u − t_u = v θ_a`.
#[inline]
fn interior_value_cost(t: [f64; 3], v: [f64; 2], inv: f64) -> (f64, f64) {
    let v2 = v[0] * v[0] + v[1] * v[1];
    let delta = v[0] * t[1] + v[1] * t[2];
    let value = -(t[0] * t[0] * v2 + 2.0 * t[0] * delta + delta * delta) * inv;
    let ta = (t[0] + delta) * inv;
    let da = (delta + t[0] * v2) * inv;
    (value, da * da + v2 * ta * ta)
}

/// `(Q, |θ − t|²)` of the ray candidate without cancellation: with `q⊥ = (e × t_u)²`,
/// `Q = (q⊥ − (c²/4)|t|² − c t_a p)/det`, `a − t_a = (c p/2 + t_a c²/4)/det`,
/// `ρ − p = (c t_a/2 + p c²/4)/det`, `|θ − t|² = (a − t_a)² + (ρ − p)² + q⊥`.
#[inline]
fn ray_value_cost(t: [f64; 3], c: f64, e: [f64; 2], p: f64, inv: f64) -> (f64, f64) {
    let perp = e[0] * t[2] - e[1] * t[1];
    let q = perp * perp;
    let t2 = t[0] * t[0] + t[1] * t[1] + t[2] * t[2];
    let value = (q - 0.25 * c * c * t2 - c * t[0] * p) * inv;
    let da = (0.5 * c * p + 0.25 * c * c * t[0]) * inv;
    let drho = (0.5 * c * t[0] + 0.25 * c * c * p) * inv;
    (value, da * da + drho * drho + q)
}

/// `min(a, b)` of two numbers (not NaN) for the vectorized loops. On wasm32 a compare and select:
/// `f64::min` (IEEE minNum) compiles there to a call of `fmin` (WebAssembly's `f64.min` treats NaN
/// and −0 differently), which keeps the loops from vectorizing; natively `f64::min` (`minpd`) is
/// the faster (measured: docs/SOLVER.md, "Measured choices"). The same value either way.
#[inline(always)]
fn select_min(a: f64, b: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    let m = if b < a { b } else { a };
    #[cfg(not(target_arch = "wasm32"))]
    let m = a.min(b);
    m
}

/// `max(a, b)` of two numbers (not NaN), as [`select_min`].
#[inline(always)]
fn select_max(a: f64, b: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    let m = if b > a { b } else { a };
    #[cfg(not(target_arch = "wasm32"))]
    let m = a.max(b);
    m
}

/// The arc of a sector: its start and end rays.
type Arc = ([f64; 2], [f64; 2]);

/// Directions stored by component, for the loops that run over all of them piece by piece.
struct Columns {
    a: Vec<f64>,
    w: Vec<f64>,
    b: Vec<f64>,
}

impl Columns {
    fn new(t: &[[f64; 3]]) -> Columns {
        Columns { a: t.iter().map(|v| v[0]).collect(), w: t.iter().map(|v| v[1]).collect(), b: t.iter().map(|v| v[2]).collect() }
    }
}

/// `(A_k, B_k) = (Σ_active α_i x_i, Σ_active α_i)` for every sector.
fn sector_sums(sectors: &Sectors, x: &[f64], alpha: &[f64]) -> Vec<[f64; 2]> {
    (0..sectors.len())
        .map(|k| {
            let (mut a, mut b) = (0.0, 0.0);
            for ((&xi, &ai), &on) in x.iter().zip(alpha).zip(&sectors.active[k]) {
                if on {
                    a += ai * xi;
                    b += ai;
                }
            }
            [a, b]
        })
        .collect()
}

/// `max |(A, B)·e|` over the unit vectors `e` of the arc from `start` to `end` (at most π).
fn arc_max(ab: [f64; 2], start: [f64; 2], end: [f64; 2]) -> f64 {
    let len = f64::sqrt(ab[0] * ab[0] + ab[1] * ab[1]);
    let mut m = (ab[0] * start[0] + ab[1] * start[1]).abs().max((ab[0] * end[0] + ab[1] * end[1]).abs());
    if len > 0.0 {
        for d in [[ab[0] / len, ab[1] / len], [-ab[0] / len, -ab[1] / len]] {
            if cross(start, d) >= 0.0 && cross(d, end) >= 0.0 {
                m = len;
            }
        }
    }
    m
}

/// `sup_{|e|=1} |Σ_i α_i (e·x̃_i)₊|`: the dual `D(α)` is finite iff this is `< 2` (MATH §6).
pub fn sup_g(sectors: &Sectors, x: &[f64], alpha: &[f64]) -> f64 {
    let s = sectors.len();
    sector_sums(sectors, x, alpha)
        .into_iter()
        .enumerate()
        .map(|(k, ab)| arc_max(ab, sectors.ray[k], sectors.ray[(k + 1) % s]))
        .fold(0.0, f64::max)
}

/// The largest `t` such that `α + t·d` lies in the domain (`sup g < 2`), or `∞`. `sup g` is
/// convex along the line, so the boundary is found by doubling then bisection (to a relative
/// accuracy of about `2⁻⁵⁰`). Requires `α` inside the domain.
pub fn domain_limit(sectors: &Sectors, x: &[f64], alpha: &[f64], d: &[f64]) -> f64 {
    // (A_k, B_k) is linear along the line: sums at α and along d, once.
    let s = sectors.len();
    let base = sector_sums(sectors, x, alpha);
    let slope = sector_sums(sectors, x, d);
    let at = |t: f64| -> f64 {
        (0..s)
            .map(|k| {
                let ab = [base[k][0] + t * slope[k][0], base[k][1] + t * slope[k][1]];
                arc_max(ab, sectors.ray[k], sectors.ray[(k + 1) % s])
            })
            .fold(0.0, f64::max)
    };
    let (mut lo, mut hi) = (0.0, 1.0);
    let mut doublings = 0;
    while at(hi) < 2.0 {
        lo = hi;
        hi *= 2.0;
        doublings += 1;
        if doublings > 80 {
            return f64::INFINITY;
        }
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if at(mid) < 2.0 { lo = mid } else { hi = mid }
        if hi - lo <= 1e-15 * hi {
            break;
        }
    }
    lo
}

/// Which pieces [`Pieces::best_all`] compares (the dead neuron always).
#[derive(Debug, Clone)]
struct Candidates {
    sectors: Vec<bool>,
    rays: Vec<bool>,
}

/// Lower ends of the bands of `ρ = |t_u|/|t|` of [`Pieces::pruned_within`]: the bounds are
/// tighter for larger `ρ`, and most directions of a quadrature have it well away from 0.
pub const PRUNING_BANDS: [f64; 4] = [0.5, 0.2, 0.05, 0.0];

/// The band of [`PRUNING_BANDS`] of direction `t`.
pub fn pruning_band(t: &[f64; 3]) -> usize {
    let u2 = t[1] * t[1] + t[2] * t[2];
    let rho2 = u2 / (t[0] * t[0] + u2);
    PRUNING_BANDS.iter().position(|&b| rho2 >= b * b).unwrap_or(PRUNING_BANDS.len() - 1)
}

/// The pieces worth comparing in each band of `ρ`, for directions in given sectors
/// ([`Pieces::pruned_within`]).
#[derive(Debug, Clone)]
pub struct Pruned {
    bands: Vec<Candidates>,
}

/// Lower bounds of every direction's nearest tie distance ([`Pieces::tie_bounds`]).
#[derive(Debug, Clone)]
pub struct TieDistances {
    /// Over every valid piece.
    pub all: Vec<f64>,
    /// Over the valid pieces that are local minima of `Q` ([`Pieces::is_local_min`]).
    pub local_minima: Vec<f64>,
}

/// The quadratic pieces of `G_α` for one `α`.
#[derive(Debug, Clone)]
pub struct Pieces {
    /// `v_k = (A_k, B_k)/2` per sector.
    pub v: Vec<[f64; 2]>,
    /// `1/(1 − |v_k|²)` per sector, or 0 when the sector's quadratic is indefinite.
    pub inv_d: Vec<f64>,
    /// Boundary rays of each sector: start `e_k`, end `e_{k+1}`.
    bounds: Vec<Arc>,
    /// `c_r = Σ_i α_i (e_r·x̃_i)₊` per ray.
    pub c: Vec<f64>,
    /// `1/(1 − c_r²/4)` per ray, or 0 when `|c_r| ≥ 2`.
    pub inv_det: Vec<f64>,
    /// Unit ray vectors.
    pub ray: Vec<[f64; 2]>,
    /// Angle in `[0, 2π)` of each ray, increasing.
    ray_angle: Vec<f64>,
    /// `sup_{|e|=1} |Σ_i α_i (e·x̃_i)₊|`; the dual is finite iff this is `< 2`.
    pub sup_g: f64,
}

impl Pieces {
    /// The pieces of `G_α` for data abscissas `x` (one per `α` entry) cut by `sectors`.
    pub fn new(sectors: &Sectors, x: &[f64], alpha: &[f64]) -> Pieces {
        let s = sectors.len();
        let mut v = Vec::with_capacity(s);
        let mut inv_d = Vec::with_capacity(s);
        let mut bounds = Vec::with_capacity(s);
        let sums = sector_sums(sectors, x, alpha);
        let mut sup_g: f64 = 0.0;
        for (k, &[a, b]) in sums.iter().enumerate() {
            let vk = [0.5 * a, 0.5 * b];
            let norm2 = vk[0] * vk[0] + vk[1] * vk[1];
            v.push(vk);
            inv_d.push(if norm2 < 1.0 { 1.0 / (1.0 - norm2) } else { 0.0 });
            let start = sectors.ray[k];
            let end = sectors.ray[(k + 1) % s];
            bounds.push((start, end));
            sup_g = sup_g.max(arc_max([a, b], start, end));
        }
        let mut c = Vec::with_capacity(s);
        let mut inv_det = Vec::with_capacity(s);
        for r in 0..s {
            let cr: f64 = sectors.activation[r].iter().zip(alpha).map(|(g, a)| g * a).sum();
            c.push(cr);
            inv_det.push(if cr.abs() < 2.0 { 1.0 / (1.0 - 0.25 * cr * cr) } else { 0.0 });
        }
        Pieces { v, inv_d, bounds, c, inv_det, ray: sectors.ray.clone(), ray_angle: sectors.ray_angle.clone(), sup_g }
    }

    /// Every piece: the interior of each sector, each breakpoint ray, the dead neuron.
    pub fn pieces(&self) -> impl Iterator<Item = Candidate> {
        (0..self.v.len() as u32)
            .map(Candidate::Interior)
            .chain((0..self.c.len() as u32).map(Candidate::Ray))
            .chain(std::iter::once(Candidate::Dead))
    }

    /// The angles in `[0, 2π)` of the breakpoint rays, increasing.
    pub fn ray_angles(&self) -> &[f64] {
        &self.ray_angle
    }

    /// Is `D(α)` finite, i.e. `sup_{|s|=1} G_α(s) < 1`?
    pub fn in_domain(&self) -> bool {
        self.sup_g < 2.0
    }

    /// The candidate on `piece` for direction `t`, whether or not it is valid (`None` only when
    /// the piece is unbounded below). Returns the choice and whether it is valid.
    #[inline]
    pub fn on_piece(&self, t: [f64; 3], piece: Candidate) -> Option<(Choice, bool)> {
        match piece {
            Candidate::Interior(k) => {
                let k = k as usize;
                let inv = self.inv_d[k];
                if inv == 0.0 {
                    return None;
                }
                let theta = self.interior_theta(k, t);
                let u = [theta[1], theta[2]];
                let (start, end) = self.bounds[k];
                let valid = cross(start, u) >= 0.0 && cross(u, end) >= 0.0;
                let (value, cost) = interior_value_cost(t, self.v[k], inv);
                Some((Choice { value, cost, candidate: piece, theta }, valid))
            }
            Candidate::Ray(r) => {
                let r = r as usize;
                let inv = self.inv_det[r];
                if inv == 0.0 {
                    return None;
                }
                let (c, e) = (self.c[r], self.ray[r]);
                let (p, a, rho) = self.ray_point(r, t);
                let (value, cost) = ray_value_cost(t, c, e, p, inv);
                let theta = [a, rho * e[0], rho * e[1]];
                Some((Choice { value, cost, candidate: piece, theta }, rho > 0.0))
            }
            Candidate::Dead => {
                let value = t[1] * t[1] + t[2] * t[2];
                Some((Choice { value, cost: value, candidate: piece, theta: [t[0], 0.0, 0.0] }, true))
            }
        }
    }

    /// `Q` of `piece`'s candidate at `t` and a margin of its validity: a continuous function of
    /// `t`, `≥ 0` where [`Pieces::on_piece`] calls the candidate valid (a ray's: `ρ`, valid when
    /// `> 0`; an interior piece's: the smaller of its `θ_u`'s two cross products with the
    /// sector's ends; the dead neuron's: `+∞`). `None` for a piece unbounded below. Both are
    /// smooth in `t` (the margin piecewise linear), for root finding along a circle of
    /// directions.
    #[inline]
    pub fn value_and_margin(&self, t: [f64; 3], piece: Candidate) -> Option<(f64, f64)> {
        let (choice, _) = self.on_piece(t, piece)?;
        let margin = match piece {
            Candidate::Interior(k) => {
                let u = [choice.theta[1], choice.theta[2]];
                let (start, end) = self.bounds[k as usize];
                cross(start, u).min(cross(u, end))
            }
            Candidate::Ray(r) => self.ray_point(r as usize, t).2,
            Candidate::Dead => f64::INFINITY,
        };
        Some((choice.value, margin))
    }

    /// The exact minimizer of `Q` for direction `t` (requires [`Pieces::in_domain`]).
    pub fn best(&self, t: [f64; 3]) -> Choice {
        self.choose(t, 0..self.v.len(), 0..self.c.len())
    }

    /// The best of the dead neuron, the interior pieces `interiors` and the rays `rays` (each in
    /// increasing order), with strict comparisons in that order: [`Pieces::best`] over every
    /// piece, [`Pieces::best_of_two`] over two.
    #[inline(always)]
    fn choose(&self, t: [f64; 3], interiors: impl IntoIterator<Item = usize>, rays: impl IntoIterator<Item = usize>) -> Choice {
        let dead = t[1] * t[1] + t[2] * t[2];
        let mut best = Choice { value: dead, cost: dead, candidate: Candidate::Dead, theta: [t[0], 0.0, 0.0] };
        // Interior candidates: Q = t_a² − s²/d, minimal where s²/d is maximal.
        let mut best_gain = f64::NEG_INFINITY;
        let mut best_k = usize::MAX;
        for k in interiors {
            let inv = self.inv_d[k];
            if inv == 0.0 {
                continue;
            }
            let v = self.v[k];
            let s = t[0] + v[0] * t[1] + v[1] * t[2];
            let gain = s * s * inv;
            if gain <= best_gain {
                continue;
            }
            let ta = s * inv;
            let u = [t[1] + v[0] * ta, t[2] + v[1] * ta];
            let (start, end) = self.bounds[k];
            if cross(start, u) >= 0.0 && cross(u, end) >= 0.0 {
                best_gain = gain;
                best_k = k;
            }
        }
        if best_k != usize::MAX {
            let v = self.v[best_k];
            let inv = self.inv_d[best_k];
            let (value, cost) = interior_value_cost(t, v, inv);
            if value < best.value {
                let ta = (t[0] + v[0] * t[1] + v[1] * t[2]) * inv;
                best = Choice {
                    value,
                    cost,
                    candidate: Candidate::Interior(best_k as u32),
                    theta: [ta, t[1] + v[0] * ta, t[2] + v[1] * ta],
                };
            }
        }
        let t2 = t[0] * t[0] + dead;
        for r in rays {
            let inv = self.inv_det[r];
            if inv == 0.0 {
                continue;
            }
            let (c, e) = (self.c[r], self.ray[r]);
            let p = e[0] * t[1] + e[1] * t[2];
            let rho = (p + 0.5 * c * t[0]) * inv;
            if rho <= 0.0 {
                continue;
            }
            // Cheap screen with the plain formula, then the cancellation-free one.
            let rough = t2 - (t[0] * t[0] + p * p + c * t[0] * p) * inv;
            if rough < best.value + 1e-12 * t2 {
                let (value, cost) = ray_value_cost(t, c, e, p, inv);
                if value < best.value {
                    let a = (t[0] + 0.5 * c * p) * inv;
                    best = Choice { value, cost, candidate: Candidate::Ray(r as u32), theta: [a, rho * e[0], rho * e[1]] };
                }
            }
        }
        best
    }

    /// The piece [`Pieces::best`] would choose at `t` among `a`, `b` and the dead neuron only:
    /// the same candidates, formulas, order and strict comparisons (the same code), so wherever
    /// `best(t)` is `a` or `b` this is too. `O(1)`, for locating a switch between two known pieces.
    pub fn best_of_two(&self, t: [f64; 3], a: Candidate, b: Candidate) -> Candidate {
        let pair = if a <= b { [a, b] } else { [b, a] };
        let interiors = pair.into_iter().filter_map(|c| if let Candidate::Interior(k) = c { Some(k as usize) } else { None });
        let rays = pair.into_iter().filter_map(|c| if let Candidate::Ray(r) = c { Some(r as usize) } else { None });
        self.choose(t, interiors, rays).candidate
    }

    /// [`Pieces::best`] for every direction of `t` at once. The loops run piece by piece over
    /// all directions (stored by component), branch-free, so that they vectorize: the same
    /// candidates and the same strict comparisons in the same order as [`Pieces::best`], whose
    /// choices they reproduce.
    pub fn best_all(&self, t: &[[f64; 3]]) -> Vec<Choice> {
        self.best_among(t, &self.every_piece())
    }

    /// The pieces of [`Pieces::best_all`]'s choices alone (the same choices), without their
    /// minimizers and values.
    pub fn best_pieces_all(&self, t: &[[f64; 3]]) -> Vec<Candidate> {
        self.best_codes(t, &self.every_piece()).iter().map(|&k| self.piece_of_code(k as usize)).collect()
    }

    /// Every piece, for [`Pieces::best_among`].
    fn every_piece(&self) -> Candidates {
        Candidates { sectors: vec![true; self.v.len()], rays: vec![true; self.c.len()] }
    }

    /// The pieces worth comparing for directions whose `(w, b)` lie in the closed sectors
    /// `within`, for each band of `ρ = |t_u|/|t|` ([`pruning_band`]); for
    /// [`Pieces::best_in_band`].
    pub fn pruned_within(&self, within: &[usize]) -> Pruned {
        Pruned { bands: PRUNING_BANDS.iter().map(|&rho| self.candidates_within(within, rho)).collect() }
    }

    /// [`Pieces::best_all`] for directions all in band `band` ([`pruning_band`]) and in the
    /// sectors `pruned` was made for, with the same choices: only the pieces that can be best
    /// there are compared (a piece left out is never the minimum, the others are compared in
    /// the same order).
    pub fn best_in_band(&self, t: &[[f64; 3]], pruned: &Pruned, band: usize) -> Vec<Choice> {
        self.best_among(t, &pruned.bands[band])
    }

    /// The minimizers `θ` of [`Pieces::best_in_band`]'s choices only (the same bits), without
    /// their values and costs: what a curve needs (the re-aligned curves have many nodes).
    pub fn best_thetas_in_band(&self, t: &[[f64; 3]], pruned: &Pruned, band: usize) -> Vec<[f64; 3]> {
        let codes = self.best_codes(t, &pruned.bands[band]);
        t.iter().zip(&codes).map(|(tp, &k)| self.theta_on_piece(*tp, self.piece_of_code(k as usize))).collect()
    }

    /// [`Pieces::on_piece`]'s `θ` alone, for a piece that is bounded.
    #[inline]
    fn theta_on_piece(&self, t: [f64; 3], piece: Candidate) -> [f64; 3] {
        match piece {
            Candidate::Interior(k) => self.interior_theta(k as usize, t),
            Candidate::Ray(r) => {
                let (_, a, rho) = self.ray_point(r as usize, t);
                let e = self.ray[r as usize];
                [a, rho * e[0], rho * e[1]]
            }
            Candidate::Dead => [t[0], 0.0, 0.0],
        }
    }

    /// The minimizer on sector `k`'s interior piece (bounded): `θ_a = (t_a + v_k·t_u)/(1 − |v_k|²)`,
    /// `θ_u = t_u + θ_a v_k`.
    #[inline(always)]
    fn interior_theta(&self, k: usize, t: [f64; 3]) -> [f64; 3] {
        let v = self.v[k];
        let ta = (t[0] + v[0] * t[1] + v[1] * t[2]) * self.inv_d[k];
        [ta, t[1] + v[0] * ta, t[2] + v[1] * ta]
    }

    /// On ray `r`'s piece (bounded): `p = e_r·t_u`, `a = (t_a + c p/2)/(1 − c²/4)` and
    /// `ρ = (p + c t_a/2)/(1 − c²/4)` (the minimizer is `(a, ρ e_r)`).
    #[inline(always)]
    fn ray_point(&self, r: usize, t: [f64; 3]) -> (f64, f64, f64) {
        let (c, e, inv) = (self.c[r], self.ray[r], self.inv_det[r]);
        let p = e[0] * t[1] + e[1] * t[2];
        (p, (t[0] + 0.5 * c * p) * inv, (p + 0.5 * c * t[0]) * inv)
    }

    /// The pieces that may be best for some direction `t` of sectors `within` with
    /// `ρ = |t_u|/|t| ≥ rho_min`, by two bounds that hold for every such `t`:
    ///
    /// * the interior candidate of sector `k` has `θ_u = t_u + v_k θ_a`,
    ///   `|θ_a| ≤ (|t_a| + |v_k||t_u|)/(1 − |v_k|²)`, so `θ_u` is within the angle
    ///   `asin(|v_k|(1 + |v_k|)/((1 − |v_k|²) ρ_min))` of `t_u`: farther than that from every
    ///   sector of `within`, sector `k`'s candidate is never valid;
    /// * a ray candidate has `Q ≥ (ρ_min² sin²γ − c²/4 − |c|/2)|t|²/(1 − c²/4)`, `γ` the angle
    ///   between the ray's line and `t_u`, while the minimum is at most `Q(t) = −G_α(t) =
    ///   −2 t_a v_K·t_u ≤ |v_K||t|²` (`t_u` in sector `K`): above that, it is never the minimum.
    ///
    /// Both bite only where `α` is small (the kernel regime); elsewhere every piece is kept.
    fn candidates_within(&self, within: &[usize], rho_min: f64) -> Candidates {
        let (s, nr) = (self.v.len(), self.c.len());
        let (pi, tau) = (std::f64::consts::PI, 2.0 * std::f64::consts::PI);
        let arcs: Vec<(f64, f64)> = (0..s)
            .map(|k| {
                let (a0, a1) = (self.ray_angle[k], self.ray_angle[(k + 1) % s]);
                (a0, if a1 <= a0 { a1 + tau } else { a1 })
            })
            .collect();
        // Angular distance from the angle `a` to the closed arc `(a0, a1)`, on the circle.
        let to_arc = |a: f64, (a0, a1): (f64, f64)| -> f64 {
            let off = (a - a0).rem_euclid(tau);
            if off <= a1 - a0 { 0.0 } else { (off - (a1 - a0)).min(tau - off) }
        };
        let arc_gap = |p: (f64, f64), q: (f64, f64)| to_arc(p.0, q).min(to_arc(p.1, q)).min(to_arc(q.0, p)).min(to_arc(q.1, p));
        // Relative and absolute margins: the bounds are exact, and the values' round-off is
        // ~1e-15 |t|².
        let margin = 1e-9;
        let sectors = (0..s)
            .map(|k| {
                let v = self.v[k];
                let vn = (v[0] * v[0] + v[1] * v[1]).sqrt();
                let sin = vn * (1.0 + vn) * self.inv_d[k] / rho_min;
                self.inv_d[k] == 0.0
                    || !(sin < 1.0)
                    || within.iter().any(|&w| arc_gap(arcs[w], arcs[k]) <= libm::asin(sin) * (1.0 + margin) + margin)
            })
            .collect();
        let rays = (0..nr)
            .map(|r| {
                let c = self.c[r];
                self.inv_det[r] == 0.0
                    || within.iter().any(|&w| {
                        let line = self.ray_angle[r];
                        let gamma = to_arc(line, arcs[w]).min(to_arc(line + pi, arcs[w]));
                        let sin = libm::sin(gamma.min(0.5 * pi));
                        let lower = (rho_min * rho_min * sin * sin - 0.25 * c * c - 0.5 * c.abs()) * self.inv_det[r];
                        let v = self.v[w];
                        let upper = (v[0] * v[0] + v[1] * v[1]).sqrt();
                        !(lower > upper * (1.0 + margin) + margin)
                    })
            })
            .collect();
        Candidates { sectors, rays }
    }

    #[inline]
    fn best_among(&self, t: &[[f64; 3]], keep: &Candidates) -> Vec<Choice> {
        let codes = self.best_codes(t, keep);
        t.iter()
            .zip(&codes)
            .map(|(tp, &k)| {
                let piece = self.piece_of_code(k as usize);
                self.on_piece(*tp, piece).expect("a chosen piece is bounded").0
            })
            .collect()
    }

    /// The number of each direction's best piece among `keep` (see [`Pieces::pieces`]), as
    /// `f64` (exact), by the vectorized loops of [`Pieces::best_codes_portable`].
    #[inline]
    fn best_codes(&self, t: &[[f64; 3]], keep: &Candidates) -> Vec<f64> {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F.
            return unsafe { self.best_codes_avx512(t, keep) };
        }
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.best_codes_avx2(t, keep) };
        }
        self.best_codes_portable(t, keep)
    }

    /// [`Pieces::best_codes_portable`] compiled for AVX-512 (8 lanes; the same bits, so the
    /// same JSON) (measured: docs/SOLVER.md, "Measured choices").
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn best_codes_avx512(&self, t: &[[f64; 3]], keep: &Candidates) -> Vec<f64> {
        self.best_codes_portable(t, keep)
    }

    /// [`Pieces::best_codes_portable`] compiled for AVX2 (4 lanes instead of SSE2's 2; the
    /// same IEEE operations in the same order, so the same bits).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn best_codes_avx2(&self, t: &[[f64; 3]], keep: &Candidates) -> Vec<f64> {
        self.best_codes_portable(t, keep)
    }

    /// The vectorized minimizers over the pieces `keep` (and the dead neuron): each direction's
    /// best piece number.
    #[inline(always)]
    fn best_codes_portable(&self, t: &[[f64; 3]], keep: &Candidates) -> Vec<f64> {
        let cols = Columns::new(t);
        let np = t.len();
        let s = self.v.len();
        // Interior: the valid sector with the largest gain s²/d.
        let mut gain = vec![f64::NEG_INFINITY; np];
        // Piece numbers are kept as f64 (exact) so that the selects vectorize with the values.
        let mut sector = vec![-1.0f64; np];
        for (k, v, inv, (start, end)) in self.bounded_sectors().filter(|s| keep.sectors[s.0]) {
            let kk = k as f64;
            for (((g, sk), (&ta, &tw)), &tb) in gain.iter_mut().zip(sector.iter_mut()).zip(cols.a.iter().zip(&cols.w)).zip(&cols.b) {
                let sum = ta + v[0] * tw + v[1] * tb;
                let gk = sum * sum * inv;
                let tha = sum * inv;
                let u0 = tw + v[0] * tha;
                let u1 = tb + v[1] * tha;
                let ok = (start[0] * u1 - start[1] * u0 >= 0.0) & (u0 * end[1] - u1 * end[0] >= 0.0) & (gk > *g);
                *g = if ok { gk } else { *g };
                *sk = if ok { kk } else { *sk };
            }
        }
        // The interior candidate against the dead neuron, then every ray in order.
        let dead_code = (2 * s) as f64;
        let mut value = vec![0.0; np];
        let mut code = vec![dead_code; np];
        for p in 0..np {
            let tp = t[p];
            let dead = tp[1] * tp[1] + tp[2] * tp[2];
            value[p] = dead;
            if sector[p] >= 0.0 {
                let k = sector[p] as usize;
                let (vi, _) = interior_value_cost(tp, self.v[k], self.inv_d[k]);
                if vi < dead {
                    value[p] = vi;
                    code[p] = sector[p];
                }
            }
        }
        for (r, c, e, inv) in self.bounded_rays().filter(|r| keep.rays[r.0]) {
            let rr = (s + r) as f64;
            for (((bv, bc), (&ta, &tw)), &tb) in value.iter_mut().zip(code.iter_mut()).zip(cols.a.iter().zip(&cols.w)).zip(&cols.b) {
                let p = e[0] * tw + e[1] * tb;
                let rho = (p + 0.5 * c * ta) * inv;
                let (vr, _) = ray_value_cost([ta, tw, tb], c, e, p, inv);
                let ok = (rho > 0.0) & (vr < *bv);
                *bv = if ok { vr } else { *bv };
                *bc = if ok { rr } else { *bc };
            }
        }
        code
    }

    /// The sectors whose interior piece is bounded (`|v_k| < 1`): `(k, v_k, 1/(1 − |v_k|²),
    /// (start ray, end ray))`.
    fn bounded_sectors(&self) -> impl Iterator<Item = (usize, [f64; 2], f64, Arc)> + '_ {
        (0..self.v.len()).filter(|&k| self.inv_d[k] != 0.0).map(|k| (k, self.v[k], self.inv_d[k], self.bounds[k]))
    }

    /// The rays whose piece is bounded (`|c_r| < 2`): `(r, c_r, e_r, 1/(1 − c_r²/4))`.
    fn bounded_rays(&self) -> impl Iterator<Item = (usize, f64, [f64; 2], f64)> + '_ {
        (0..self.c.len()).filter(|&r| self.inv_det[r] != 0.0).map(|r| (r, self.c[r], self.ray[r], self.inv_det[r]))
    }

    /// The piece numbered `k` in the order of [`Pieces::pieces`].
    fn piece_of_code(&self, k: usize) -> Candidate {
        let s = self.v.len();
        if k < s {
            Candidate::Interior(k as u32)
        } else if k < 2 * s {
            Candidate::Ray((k - s) as u32)
        } else {
            Candidate::Dead
        }
    }

    /// For every direction `t_p`, a lower bound of its nearest *tie distance*
    /// `min_c (Q_c − Q_best)/|φ(θ_c, X) − φ(θ_best, X)|` over the valid pieces `c ≠ best_p`
    /// (`∞` when there is none): how long a dual step must be to make another piece minimal,
    /// since a step `Δ` moves `Q_c − Q_best` by `−(φ(θ_c, X) − φ(θ_best, X))·Δ`. `|Δφ|` is
    /// computed exactly in `O(1)` from the data moments of the two pieces ([`PairMoments`]);
    /// the bound is that distance shortened by a relative 1e-9 for round-off. Two bounds: over
    /// every valid piece, and over those that are local minima of `Q`
    /// ([`Pieces::is_local_min`]). The directions are grouped by their best piece, and the
    /// loops run pair of pieces by pair over each group, branch-free, so that they vectorize.
    pub fn tie_bounds(&self, t: &[[f64; 3]], best: &[Choice], moments: &PairMoments) -> TieDistances {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F.
            return unsafe { self.tie_bounds_avx512(t, best, moments) };
        }
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.tie_bounds_avx2(t, best, moments) };
        }
        self.tie_bounds_portable(t, best, moments)
    }

    /// [`Pieces::tie_bounds`] compiled for AVX-512 (the same bits, as [`Pieces::best_all`]).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn tie_bounds_avx512(&self, t: &[[f64; 3]], best: &[Choice], moments: &PairMoments) -> TieDistances {
        self.tie_bounds_portable(t, best, moments)
    }

    /// [`Pieces::tie_bounds`] compiled for AVX2 (the same bits, as [`Pieces::best_all`]).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn tie_bounds_avx2(&self, t: &[[f64; 3]], best: &[Choice], moments: &PairMoments) -> TieDistances {
        self.tie_bounds_portable(t, best, moments)
    }

    /// The body of [`Pieces::tie_bounds`], one function (over 80 lines) so that each of its
    /// loops runs piece by piece over all directions in one pass and vectorizes; split into
    /// calls, the arrays would be read once per call.
    #[inline(always)]
    fn tie_bounds_portable(&self, t: &[[f64; 3]], best: &[Choice], moments: &PairMoments) -> TieDistances {
        let np = t.len();
        let s = self.v.len();
        // Directions grouped by their best piece (a stable counting sort), so that each pair of
        // pieces runs over a contiguous block with its moments fixed.
        let codes: Vec<usize> = best.iter().map(|b| self.code_of_piece(b.candidate)).collect();
        let mut blocks = vec![0usize; 2 * s + 2];
        for &c in &codes {
            blocks[c + 1] += 1;
        }
        for c in 0..=2 * s {
            blocks[c + 1] += blocks[c];
        }
        let mut order = vec![0usize; np];
        let mut next = blocks.clone();
        for (p, &c) in codes.iter().enumerate() {
            order[next[c]] = p;
            next[c] += 1;
        }
        let gather = |f: &dyn Fn(usize) -> f64| -> Vec<f64> { order.iter().map(|&p| f(p)).collect() };
        let (ta, tw, tb) = (gather(&|p| t[p][0]), gather(&|p| t[p][1]), gather(&|p| t[p][2]));
        let best_value = gather(&|p| best[p].value);
        // z_b = a_b (w_b, b_b) of each best neuron.
        let zb0 = gather(&|p| best[p].theta[0] * best[p].theta[1]);
        let zb1 = gather(&|p| best[p].theta[0] * best[p].theta[2]);
        // (gap / |Δφ|)² with the block's moments `m`, |Δφ|² lengthened by 2e-9 for round-off
        // (the gap is ≥ 0 but for round-off: the best piece is the minimum); the square root is
        // taken once per direction, at the end.
        let ratio = |m: &[f64; 9], p: usize, gap: f64, theta: [f64; 3]| -> f64 {
            let zc = [theta[0] * theta[1], theta[0] * theta[2]];
            let norm2 = PairMoments::distance2(m, zc, [zb0[p], zb1[p]]);
            let gap = select_max(gap, 0.0);
            gap * gap / select_max(norm2 * (1.0 + 2e-9), f64::MIN_POSITIVE)
        };
        // The blocks of directions whose best piece is not `c`, with the pair's moments.
        let blocks = &blocks;
        let others = |c: usize| {
            let row = moments.row(c);
            (0..=2 * s).filter(move |&b| b != c && blocks[b] < blocks[b + 1]).map(move |b| (&row[b], blocks[b]..blocks[b + 1]))
        };
        let mut all = vec![f64::INFINITY; np];
        let mut local = vec![f64::INFINITY; np];
        for (k, v, inv, (start, end)) in self.bounded_sectors() {
            for (m, block) in others(k) {
                for p in block {
                    let sum = ta[p] + v[0] * tw[p] + v[1] * tb[p];
                    let tha = sum * inv;
                    let u0 = tw[p] + v[0] * tha;
                    let u1 = tb[p] + v[1] * tha;
                    let valid = (start[0] * u1 - start[1] * u0 >= 0.0) & (u0 * end[1] - u1 * end[0] >= 0.0);
                    let (value, _) = interior_value_cost([ta[p], tw[p], tb[p]], v, inv);
                    let d = ratio(m, p, value - best_value[p], [tha, u0, u1]);
                    let d = if valid { d } else { f64::INFINITY };
                    all[p] = select_min(all[p], d);
                    local[p] = select_min(local[p], d);
                }
            }
        }
        for (r, c, e, inv) in self.bounded_rays() {
            let normal = [-e[1], e[0]]; // points into sector r
            let (v_in, v_out) = (self.v[r], self.v[(r + s - 1) % s]);
            for (m, block) in others(s + r) {
                for p in block {
                    let q = e[0] * tw[p] + e[1] * tb[p];
                    let a = (ta[p] + 0.5 * c * q) * inv;
                    let rho = (q + 0.5 * c * ta[p]) * inv;
                    let (value, _) = ray_value_cost([ta[p], tw[p], tb[p]], c, e, q, inv);
                    let (thw, thb) = (rho * e[0], rho * e[1]);
                    // Local minimum: Q does not decrease into either adjacent wedge.
                    let slope = |v: [f64; 2], dir: [f64; 2]| (thw - v[0] * a - tw[p]) * dir[0] + (thb - v[1] * a - tb[p]) * dir[1];
                    let is_local = (slope(v_in, normal) >= 0.0) & (slope(v_out, [-normal[0], -normal[1]]) >= 0.0);
                    let d = ratio(m, p, value - best_value[p], [a, thw, thb]);
                    let d = if rho > 0.0 { d } else { f64::INFINITY };
                    all[p] = select_min(all[p], d);
                    local[p] = if is_local { select_min(local[p], d) } else { local[p] };
                }
            }
        }
        // The dead neuron is a local minimum when, in every sector `k`, `z = t_u + t_a v_k` has
        // `z·e ≤ 0` on the whole arc: at both ends, and `z` not inside it (a nonzero `z`
        // inside an arc shorter than π is within π/2 of one end) — [`Pieces::is_local_min`].
        let mut dead_local = vec![true; np];
        for k in 0..s {
            let (v, (start, end)) = (self.v[k], self.bounds[k]);
            for (p, local) in dead_local.iter_mut().enumerate() {
                let z = [tw[p] + ta[p] * v[0], tb[p] + ta[p] * v[1]];
                let inside = (cross(start, z) >= 0.0) & (cross(z, end) >= 0.0) & ((z[0] != 0.0) | (z[1] != 0.0));
                let ok = (z[0] * start[0] + z[1] * start[1] <= 0.0) & (z[0] * end[0] + z[1] * end[1] <= 0.0) & !inside;
                *local &= ok;
            }
        }
        for (m, block) in others(2 * s) {
            for p in block {
                let value = tw[p] * tw[p] + tb[p] * tb[p];
                let d = ratio(m, p, value - best_value[p], [ta[p], 0.0, 0.0]);
                all[p] = select_min(all[p], d);
                local[p] = if dead_local[p] { select_min(local[p], d) } else { local[p] };
            }
        }
        let mut out = TieDistances { all: vec![f64::INFINITY; np], local_minima: vec![f64::INFINITY; np] };
        for (i, &p) in order.iter().enumerate() {
            out.all[p] = all[i].sqrt();
            out.local_minima[p] = local[i].sqrt();
        }
        out
    }

    /// The number of `piece` in the order of [`Pieces::pieces`].
    fn code_of_piece(&self, piece: Candidate) -> usize {
        let s = self.v.len();
        match piece {
            Candidate::Interior(k) => k as usize,
            Candidate::Ray(r) => s + r as usize,
            Candidate::Dead => 2 * s,
        }
    }

    /// Is the valid candidate `choice` a local minimum of `Q` for direction `t`? Interior
    /// candidates always are (`Q` is convex on their wedge); a ray candidate is one when `Q`
    /// does not decrease into either adjacent wedge; the dead neuron when `Q` does not decrease
    /// along any `(w, b)` direction (first-order tests). This separates genuinely distinct
    /// minimizers, between which mass may have to be split, from the continuous passage of an
    /// interior minimizer across a sector boundary.
    pub fn is_local_min(&self, t: [f64; 3], choice: &Choice) -> bool {
        let th = choice.theta;
        match choice.candidate {
            Candidate::Interior(_) => true,
            Candidate::Ray(r) => {
                let r = r as usize;
                let s = self.v.len();
                let e = self.ray[r];
                let normal = [-e[1], e[0]]; // points into sector r
                let slope = |k: usize, dir: [f64; 2]| {
                    let v = self.v[k];
                    let gw = th[1] - v[0] * th[0] - t[1];
                    let gb = th[2] - v[1] * th[0] - t[2];
                    gw * dir[0] + gb * dir[1]
                };
                slope(r, normal) >= 0.0 && slope((r + s - 1) % s, [-normal[0], -normal[1]]) >= 0.0
            }
            Candidate::Dead => (0..self.v.len()).all(|k| {
                let v = self.v[k];
                let z = [t[1] + t[0] * v[0], t[2] + t[0] * v[1]];
                let (start, end) = self.bounds[k];
                let mut m = (z[0] * start[0] + z[1] * start[1]).max(z[0] * end[0] + z[1] * end[1]);
                let len = f64::sqrt(z[0] * z[0] + z[1] * z[1]);
                if len > 0.0 {
                    let d = [z[0] / len, z[1] / len];
                    if cross(start, d) >= 0.0 && cross(d, end) >= 0.0 {
                        m = len;
                    }
                }
                m <= 0.0
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::model::phi;

    fn q(t: [f64; 3], theta: [f64; 3], x: &[f64], alpha: &[f64]) -> f64 {
        let g: f64 = x.iter().zip(alpha).map(|(&xi, &ai)| ai * phi(theta, xi)).sum();
        crate::network::model::dist2(theta, t) - g
    }

    /// Directions spread over the sphere (some exactly on breakpoint rays) and an α near the
    /// edge of the domain, where many pieces are valid at once.
    fn crowded_case() -> (Vec<f64>, Vec<f64>, Vec<[f64; 3]>) {
        let x = vec![-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let alpha0 = [0.3, -0.5, 0.4, -0.2, 0.35, -0.1];
        let s = Sectors::new(&x);
        let sup = Pieces::new(&s, &x, &alpha0).sup_g;
        let alpha: Vec<f64> = alpha0.iter().map(|a| a * 1.9 / sup).collect();
        let mut t: Vec<[f64; 3]> = (0..3000)
            .map(|i| {
                let a = (i as f64 * 0.731).sin();
                let ang = i as f64 * 2.399;
                let r = (1.0 - a * a).sqrt();
                [a, r * ang.cos(), r * ang.sin()]
            })
            .collect();
        t.extend(s.ray.iter().map(|e| [0.4, 0.9 * e[0], 0.9 * e[1]]));
        (x, alpha, t)
    }

    /// The vectorized minimizer makes the scalar one's choices.
    #[test]
    fn best_all_matches_best() {
        let (x, alpha, t) = crowded_case();
        let p = Pieces::new(&Sectors::new(&x), &x, &alpha);
        assert!(p.in_domain());
        let all = p.best_all(&t);
        for (tp, c) in t.iter().zip(&all) {
            let one = p.best(*tp);
            assert_eq!(one.candidate, c.candidate, "{tp:?}");
            assert_eq!(one.value, c.value);
        }
    }

    /// The bounds are never above the tie distance computed from `φ` over the data, and not
    /// far below it where it is small (the ascent ranks sources by them).
    #[test]
    fn tie_bounds_are_the_tie_distances() {
        let (x, alpha, t) = crowded_case();
        let sectors = Sectors::new(&x);
        let p = Pieces::new(&sectors, &x, &alpha);
        let best = p.best_all(&t);
        let bounds = p.tie_bounds(&t, &best, sectors.pair_moments());
        let mut worst: f64 = 0.0;
        for local_minima in [false, true] {
            let bounds = if local_minima { &bounds.local_minima } else { &bounds.all };
            for (q, tq) in t.iter().enumerate() {
                // The distance from φ over the data, piece by piece.
                let mut nearest = f64::INFINITY;
                for piece in p.pieces() {
                    let Some((c, true)) = p.on_piece(*tq, piece) else { continue };
                    if piece == best[q].candidate || (local_minima && !p.is_local_min(*tq, &c)) {
                        continue;
                    }
                    let diff = x.iter().map(|&xi| (phi(c.theta, xi) - phi(best[q].theta, xi)).powi(2)).sum::<f64>().sqrt();
                    nearest = nearest.min((c.value - best[q].value).max(0.0) / diff.max(f64::MIN_POSITIVE));
                }
                assert_eq!(bounds[q].is_finite(), nearest.is_finite(), "source {q}");
                if nearest > 1e6 {
                    // |Δφ| at round-off level (pieces with the same φ on the data): both far.
                    assert!(bounds[q] > 1e6, "source {q}: bound {} for the distance {nearest}", bounds[q]);
                } else {
                    // A lower bound up to the round-off of |Δφ| (both ways of computing it cancel
                    // when θ_c ≈ θ_best: measured up to 1.5e-9 apart here), and a tight one.
                    assert!(bounds[q] <= nearest * (1.0 + 1e-8), "source {q}: bound {} above the distance {nearest}", bounds[q]);
                    worst = worst.max((nearest - bounds[q]) / nearest.max(f64::MIN_POSITIVE));
                }
            }
        }
        assert!(worst <= 1e-8, "a bound {worst:e} below its distance (relative)");
    }

    /// Pruned by the bounds of `candidates_within`, directions of two opposite sectors make the
    /// same choices as over every piece — near the kernel end, where most pieces are left out,
    /// and at an `α` near the domain's edge, where they are kept.
    #[test]
    fn pruned_pieces_make_the_same_choices() {
        let x = vec![-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let sectors = Sectors::new(&x);
        let alpha0 = [0.3, -0.5, 0.4, -0.2, 0.35, -0.1];
        let sup = Pieces::new(&sectors, &x, &alpha0).sup_g;
        let cut = [2, 2 + sectors.len() / 2];
        // Directions spread over both sectors (their ends included) and over β.
        let mut t = Vec::new();
        for &k in &cut {
            let (a0, a1) = sectors.sector_span(k);
            for i in 0..=40 {
                let phi = a0 + (a1 - a0) * i as f64 / 40.0;
                for j in 0..60 {
                    let beta = (j as f64 / 59.0 - 0.5) * (std::f64::consts::PI - 2e-4);
                    t.push([libm::sin(beta), libm::cos(beta) * libm::cos(phi), libm::cos(beta) * libm::sin(phi)]);
                }
            }
        }
        for (target, expect_pruning) in [(1e-4, true), (1e-2, true), (0.3, true), (0.8, true), (1.9, false)] {
            let alpha: Vec<f64> = alpha0.iter().map(|a| a * target / sup).collect();
            let p = Pieces::new(&sectors, &x, &alpha);
            let all = p.best_all(&t);
            let pruned = p.pruned_within(&cut);
            let kept = pruned.bands[0].sectors.iter().chain(&pruned.bands[0].rays).filter(|&&k| k).count();
            assert_eq!(kept < p.v.len() + p.c.len(), expect_pruning, "sup g {target}: {kept} pieces kept");
            for (b, _) in PRUNING_BANDS.iter().enumerate() {
                let index: Vec<usize> = (0..t.len()).filter(|&q| pruning_band(&t[q]) == b).collect();
                let sub: Vec<[f64; 3]> = index.iter().map(|&q| t[q]).collect();
                for (&q, c) in index.iter().zip(p.best_in_band(&sub, &pruned, b)) {
                    assert_eq!(c, all[q], "sup g {target}, direction {q}");
                }
            }
        }
    }

    /// The AVX2 and AVX-512 builds of the vectorized loops give the portable builds' bits (each
    /// checked where the CPU has it).
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn wide_vector_loops_match_the_portable_ones() {
        let (x, alpha, t) = crowded_case();
        let sectors = Sectors::new(&x);
        let p = Pieces::new(&sectors, &x, &alpha);
        let every = p.every_piece();
        let plain_codes = p.best_codes_portable(&t, &every);
        let plain = p.best_among(&t, &every);
        let slow = p.tie_bounds_portable(&t, &plain, sectors.pair_moments());
        let mut checked = 0;
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked above).
            let (fast, ties) = unsafe { (p.best_codes_avx2(&t, &every), p.tie_bounds_avx2(&t, &plain, sectors.pair_moments())) };
            assert_eq!(fast, plain_codes);
            assert_eq!((ties.all, ties.local_minima), (slow.all.clone(), slow.local_minima.clone()));
            checked += 1;
        }
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F (checked above).
            let (fast, ties) = unsafe { (p.best_codes_avx512(&t, &every), p.tie_bounds_avx512(&t, &plain, sectors.pair_moments())) };
            assert_eq!(fast, plain_codes);
            assert_eq!((ties.all, ties.local_minima), (slow.all.clone(), slow.local_minima.clone()));
            checked += 1;
        }
        eprintln!("wide builds checked: {checked}");
    }

    #[test]
    fn zero_alpha_keeps_every_direction() {
        let x = [-1.0, 0.5, 2.0];
        let s = Sectors::new(&x);
        let p = Pieces::new(&s, &x, &[0.0; 3]);
        assert!(p.in_domain());
        for t in [[0.3, -0.4, 0.866], [-0.9, 0.1, 0.2], [0.0, 1.0, 0.0]] {
            let c = p.best(t);
            assert!(c.value.abs() < 1e-15, "{c:?}");
            for k in 0..3 {
                assert!((c.theta[k] - t[k]).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn value_matches_objective_at_the_minimizer() {
        let x = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let alpha = [0.3, -0.5, 0.4, -0.2, 0.35, -0.1];
        let s = Sectors::new(&x);
        let p = Pieces::new(&s, &x, &alpha);
        assert!(p.in_domain());
        for i in 0..200 {
            let a = (i as f64 * 0.731).sin();
            let ang = i as f64 * 2.399;
            let t = [a, ang.cos(), ang.sin()];
            let c = p.best(t);
            assert!((c.value - q(t, c.theta, &x, &alpha)).abs() < 1e-12, "{c:?}");
        }
    }
}
