//! The rich limit τ → 0 for inputs in the plane (MATH §4 one dimension up), solved directly.
//!
//! At τ = 0 the transport cost is `∫|θ|² dμ`. A neuron `(a, w)`, `w ∈ R³`, computes
//! `a|w| (v·x)₊` with `v = w/|w|`, and `a² + |w|² ≥ 2|a||w|` with equality for balanced neurons,
//! so in *units* `c (v·x)₊` (`v` on the unit sphere `S²`, `x = (x₁, x₂, 1)`) the problem is the
//! semi-infinite linear program
//!
//! `M = min 2 Σ_k |c_k|   subject to   Σ_k c_k (v_k·xᵢ)₊ = yᵢ`,
//!
//! whose dual is the τ → 0 dual at λ = 0, `max ⟨α, y⟩` subject to `|g_α(v)| ≤ 2` on `S²` — the
//! dual's domain of MATH §12. It is the same for a finite width as for infinite width: at τ → 0
//! the sources collapse to the origin and the cost no longer depends on where they were.
//!
//! **Method: column generation.** Start from the units at the arrangement's rays (the lines
//! where two data planes meet, both signs) and at each point's own direction `±xᵢ/|xᵢ|`; solve
//! the restricted LP ([`crate::numeric::lp`]); its multipliers `α` price every unit exactly
//! ([`Arrangement::argmax_abs_g`]: `sup |g_α|` over the faces) and the most violated unit
//! enters. When none violates `|g_α| ≤ 2` beyond round-off, `α/s` with `s = max(1, sup|g_α|/2)`
//! is dual feasible and certifies the value: `gap = P − ⟨α, y⟩/s`.

use crate::dual::arrangement::{Arrangement, Vec3};
use crate::numeric::lp::{LpOutcome, solve_standard_form};
use crate::path::plane::{PlaneFit, plane_fit_with};
use serde::Serialize;

/// Column-generation rounds before giving up (each adds one unit).
const MAX_ROUNDS: usize = 300;
/// Relative violation of `|g_α| ≤ 2` below which pricing stops.
const PRICE_TOL: f64 = 1e-10;

/// The minimal-norm network on data in the plane, with its certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaneRichLimit {
    /// `M`: the least `∫|θ|² dμ` of a network that interpolates.
    pub cost: f64,
    /// `⟨α, y⟩/s`, a lower bound on `M`.
    pub dual: f64,
    /// `cost − dual` (≥ 0 up to round-off).
    pub gap: f64,
    /// `max_i |f(xᵢ) − yᵢ|`.
    pub residual: f64,
    /// Column-generation rounds.
    pub rounds: usize,
    /// The units `[c, v₁, v₂, v₃]` with `c ≠ 0` (`f(x) = Σ c (v·x)₊`, `v` a unit vector; the
    /// balanced neuron is `a = sign(c)√|c|`, `w = √|c| v`).
    pub units: Vec<[f64; 4]>,
    /// `f` on the grid.
    pub fit: PlaneFit,
}

fn activation(v: &Vec3, p: &[f64; 2]) -> f64 {
    (v[0] * p[0] + v[1] * p[1] + v[2]).max(0.0)
}

/// The rich limit of the distinct points `(x, y)` at λ = 0, its fit on `grid`; `None` when the
/// LP fails (not expected: every interpolation problem with distinct points is feasible).
pub fn plane_rich_limit(x: &[[f64; 2]], y: &[f64], grid: &(Vec<f64>, Vec<f64>)) -> Option<PlaneRichLimit> {
    let n = x.len();
    let arrangement = Arrangement::new(x);
    let mut units: Vec<Vec3> = arrangement.rays().to_vec();
    for p in x {
        let r = (p[0] * p[0] + p[1] * p[1] + 1.0).sqrt();
        units.push([p[0] / r, p[1] / r, 1.0 / r]);
        units.push([-p[0] / r, -p[1] / r, -1.0 / r]);
    }
    for round in 1..=MAX_ROUNDS {
        // Columns c⁺_k, c⁻_k ≥ 0 of each unit, each costing 2.
        let k = 2 * units.len();
        let mut a = vec![0.0; n * k];
        for (j, v) in units.iter().enumerate() {
            for (i, p) in x.iter().enumerate() {
                let h = activation(v, p);
                a[i * k + 2 * j] = h;
                a[i * k + 2 * j + 1] = -h;
            }
        }
        let sol = match solve_standard_form(&a, n, k, y, &vec![2.0; k]) {
            LpOutcome::Optimal(sol) => sol,
            _ => return None,
        };
        let alpha = sol.duals;
        let (sup, v) = arrangement.argmax_abs_g(&alpha);
        if sup <= 2.0 * (1.0 + PRICE_TOL) || round == MAX_ROUNDS {
            let s = (sup / 2.0).max(1.0);
            let dual = alpha.iter().zip(y).map(|(a, b)| a * b).sum::<f64>() / s;
            let kept: Vec<[f64; 4]> =
                units.iter().enumerate().map(|(j, u)| [sol.x[2 * j] - sol.x[2 * j + 1], u[0], u[1], u[2]]).filter(|u| u[0] != 0.0).collect();
            let f = |p: [f64; 2]| kept.iter().map(|u| u[0] * activation(&[u[1], u[2], u[3]], &p)).sum::<f64>();
            let residual = x.iter().zip(y).map(|(p, yi)| (f(*p) - yi).abs()).fold(0.0, f64::max);
            let cost = 2.0 * kept.iter().map(|u| u[0].abs()).sum::<f64>();
            return Some(PlaneRichLimit { cost, dual, gap: cost - dual, residual, rounds: round, fit: plane_fit_with(grid, f), units: kept });
        }
        units.push(v);
    }
    None
}
