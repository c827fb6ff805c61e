//! The rich limit τ → 0 of the scaling path (MATH §4), solved directly.
//!
//! At τ = 0 the transport cost is `W₂²(μ, δ₀) = ∫|θ|² dμ`. A neuron `(a, w, b)` computes
//! `a·r·(e·x̃)₊` with `r = |(w, b)|`, `e = (w, b)/r`, and `a² + r² ≥ 2|a|r` with equality for
//! balanced neurons, so in terms of *units* `c (e·x̃)₊` (`e` a unit vector of the `(w, b)`
//! plane) the problem is the semi-infinite linear program
//!
//! `M = min 2 Σ_k |c_k|   subject to   Σ_k c_k (e_k·x̃_i)₊ = y_i`,
//!
//! whose dual is the τ → 0 dual of MATH §6 at λ = 0:
//!
//! `max ⟨α, y⟩   subject to   |g_α(e)| = |Σ_i α_i (e·x̃_i)₊| ≤ 2 for every unit e`.
//!
//! Only λ = 0 is solved. (At λ > 0 the limit is a lasso over the same units; solved by block
//! coordinate descent over the sector cones and Newton-polished it certified at λ = 1 but not at
//! λ ≤ 0.1 within a useful time — the blocks are strongly coupled at small λ — so it was left out.)
//!
//! In function space `M` is the weighted total variation of the fit: a kink at `x₀` costs
//! `2√(1 + x₀²)` per unit of slope change (plus the cost of the linear part).
//!
//! **Method: column generation.** Start from the units whose kink sits at a data point (the
//! `2n` breakpoint rays) and the constant unit; solve the restricted LP by [`crate::numeric::lp`];
//! its multipliers `α` price every unit exactly — on each sector between breakpoint rays
//! `g_α(e) = e·(A_k, B_k)` is linear, maximized at the direction of `±(A_k, B_k)` when that lies
//! inside the sector, else at a ray — and the most violated units enter. When no unit violates
//! `|g_α| ≤ 2` beyond round-off, `α/s` with `s = max(1, sup|g_α|/2)` is dual feasible and
//! certifies the value: `gap = P − D(α/s)`.

use crate::input::error::{Error, Result};
use crate::network::geometry::Sectors;
use crate::numeric::lp::{LpOutcome, solve_standard_form};
use ndarray::Array2;
use serde::Serialize;

/// Column-generation rounds before giving up (each adds at least one unit).
const MAX_ROUNDS: usize = 200;
/// Relative violation of `|g_α| ≤ 2` below which pricing stops.
const PRICE_TOL: f64 = 1e-10;
/// Relative violation below which the Newton polish is tried.
const POLISH_FROM: f64 = 1e-4;

/// The minimal-norm network: units `c (e·x̃)₊` with their certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RichLimit {
    /// `M`: minimal `∫|θ|² dμ` — the weighted-TV norm of the fit.
    pub cost: f64,
    /// `D(α/s)`, a lower bound on `M`.
    pub dual: f64,
    /// `cost − dual ≥ 0` (up to round-off).
    pub gap: f64,
    /// `max_i |f(x_i) − y_i|`.
    pub residual: f64,
    /// Dual multipliers `α` (feasible after scaling by `1/s`).
    pub alpha: Vec<f64>,
    /// The minimal-norm neurons, balanced: `[a, w, b]` with `|a| = |(w, b)|`, `a·|(w, b)| = c`.
    pub neurons: Vec<[f64; 3]>,
    /// Kink positions `−b/w` of the units with `w ≠ 0`, increasing (merged when equal).
    pub kinks: Vec<f64>,
    /// Slope change of the fit across each kink (left to right).
    pub slope_changes: Vec<f64>,
    /// Column-generation rounds.
    pub rounds: usize,
}

impl RichLimit {
    /// `f(x) = Σ_k c_k (e_k·x̃)₊` at each point of `grid`.
    pub fn fit(&self, grid: &[f64]) -> Vec<f64> {
        crate::network::model::evaluate(&self.neurons, &vec![1.0; self.neurons.len()], grid)
    }
}

/// A unit `(e·x̃)₊` of the `(w, b)` plane.
fn column(e: [f64; 2], x: &[f64]) -> Vec<f64> {
    x.iter().map(|&xi| crate::network::model::relu(e[0] * xi + e[1])).collect()
}

/// The units maximizing and minimizing `g_α(e) = Σ_i α_i (e·x̃_i)₊`, and `sup|g_α|`.
///
/// On sector `k` (active set fixed) `g_α(e) = e·v_k` with `v_k = (A_k, B_k)`; the extremes of a
/// linear function over an arc are at `±v_k/|v_k|` when inside the arc, else at its ends.
fn price(sectors: &Sectors, x: &[f64], alpha: &[f64]) -> (f64, Vec<[f64; 2]>) {
    let mut sup = 0.0f64;
    let mut offenders: Vec<(f64, [f64; 2])> = Vec::new();
    for r in 0..sectors.len() {
        let g: f64 = sectors.activation[r].iter().zip(alpha).map(|(a, b)| a * b).sum();
        sup = sup.max(g.abs());
    }
    for k in 0..sectors.len() {
        let (mut a, mut b) = (0.0, 0.0);
        for (i, &on) in sectors.active[k].iter().enumerate() {
            if on {
                a += alpha[i] * x[i];
                b += alpha[i];
            }
        }
        let norm = a.hypot(b);
        if !(norm > 0.0) {
            continue;
        }
        for s in [1.0, -1.0] {
            let e = [s * a / norm, s * b / norm];
            if sectors.sector_of(e) == k {
                sup = sup.max(norm);
                offenders.push((norm, e));
            }
        }
    }
    offenders.sort_by(|p, q| q.0.total_cmp(&p.0));
    let entering = offenders.into_iter().filter(|(g, _)| *g > 2.0 * (1.0 + PRICE_TOL)).map(|(_, e)| e).collect();
    (sup, entering)
}

/// Solves the rich limit (minimal-norm interpolation) for data `(x, y)` with distinct `x`.
pub fn rich_limit(x: &[f64], y: &[f64]) -> Result<RichLimit> {
    let n = x.len();
    let sectors = Sectors::new(x);
    let mut units: Vec<[f64; 2]> = sectors.ray.clone();
    units.push([0.0, 1.0]);
    let mut columns: Vec<Vec<f64>> = units.iter().map(|&e| column(e, x)).collect();
    for round in 1..=MAX_ROUNDS {
        let (c, alpha) = restricted_lp(&columns, y)?;
        let (sup, entering) = price(&sectors, x, &alpha);
        let fresh: Vec<[f64; 2]> = entering
            .into_iter()
            .filter(|e| units.iter().all(|u| (u[0] - e[0]).abs() + (u[1] - e[1]).abs() > 1e-13))
            .take(n.max(4))
            .collect();
        // Close enough for Newton on the optimality conditions to take over: try it, and stop
        // when its multipliers are feasible (the column-generation tail converges slowly).
        if fresh.is_empty() || round == MAX_ROUNDS || sup <= 2.0 * (1.0 + POLISH_FROM) {
            let (merged_units, merged_c) = merge_within_sectors(&sectors, &units, &c);
            if let Some((pu, pc, pa)) = polish_pruned(&sectors, x, y, &merged_units, &merged_c, &alpha) {
                let (psup, _) = price(&sectors, x, &pa);
                if psup <= 2.0 * (1.0 + PRICE_TOL) || fresh.is_empty() || round == MAX_ROUNDS {
                    return Ok(certify(x, y, &pu, &pc, pa, psup, round));
                }
            } else if fresh.is_empty() || round == MAX_ROUNDS {
                return Ok(certify(x, y, &merged_units, &merged_c, alpha, sup, round));
            }
        }
        for e in fresh {
            columns.push(column(e, x));
            units.push(e);
        }
    }
    unreachable!("the loop returns at its last round")
}

/// Merges units of the same sign inside one sector into one.
///
/// Inside sector `k` every unit is linear on the data, `c (e·x̃_i)₊ = (c e)·x̃_i` for the active
/// points, so units `c_j e_j` of one sign sum to `u = Σ c_j e_j`, a vector of the same convex
/// cone: the unit `|u| (u/|u|)` fits the data identically at cost `2|u| ≤ 2Σ|c_j|`. Column
/// generation's tail leaves clusters of nearly equal units around each optimal one; this
/// collapses them (the fit changes only between data points, towards the exact optimum).
fn merge_within_sectors(sectors: &Sectors, units: &[[f64; 2]], c: &[f64]) -> (Vec<[f64; 2]>, Vec<f64>) {
    let mut groups: Vec<(usize, bool, [f64; 2])> = Vec::new();
    let mut out_units = Vec::new();
    let mut out_c = Vec::new();
    for (e, &cj) in units.iter().zip(c) {
        if cj == 0.0 {
            continue;
        }
        if is_ray(sectors, e) {
            out_units.push(*e);
            out_c.push(cj);
            continue;
        }
        let key = (sectors.sector_of(*e), cj > 0.0);
        let u = [cj.abs() * e[0], cj.abs() * e[1]];
        match groups.iter_mut().find(|g| (g.0, g.1) == key) {
            Some(g) => {
                g.2[0] += u[0];
                g.2[1] += u[1];
            }
            None => groups.push((key.0, key.1, u)),
        }
    }
    for (_, positive, u) in groups {
        let norm = u[0].hypot(u[1]);
        out_units.push([u[0] / norm, u[1] / norm]);
        out_c.push(if positive { norm } else { -norm });
    }
    (out_units, out_c)
}

/// Units, their coefficients and the multipliers after [`polish`].
type Polished = (Vec<[f64; 2]>, Vec<f64>, Vec<f64>);

/// Newton's method on the optimality conditions for a known support (it removes the
/// column-generation tail: the optimal interior units are found exactly, not approximately).
///
/// An interior unit of sector `k` with multiplier `α` optimal has `e = ±v_k/|v_k|` and
/// `|v_k| = 2`, where `v_k = Σ_{i active} α_i x̃_i`; its contribution on the data is then
/// `c (e·x̃_i) = ρ v_k·x̃_i` with `ρ = |c|/2 ≥ 0`. A ray unit `e_r` with coefficient `c_r` has
/// `g_α(e_r) = 2 sign(c_r)`. Unknowns `(α, ρ_j, c_r)`, equations
///
/// * `Σ_j ρ_j v_{k_j}·x̃_i [i active in k_j] + Σ_r c_r (e_r·x̃_i)₊ − y_i = 0` (n),
/// * `|v_{k_j}|² − 4 = 0` per interior unit, `g_α(e_r) − 2 sign(c_r) = 0` per ray unit:
///
/// a square system. Accepted only if it converges with every sign and sector preserved.
/// One function (over 80 lines), not inlined: the Newton loop and its Jacobian share the
/// precomputed active sets, and as one small non-inlined function it stays in the browser's
/// baseline WebAssembly tier (see the comment in its body).
#[inline(never)]
fn polish(
    sectors: &Sectors,
    x: &[f64],
    y: &[f64],
    units: &[[f64; 2]],
    c: &[f64],
    alpha: &[f64],
) -> Option<Polished> {
    let n = x.len();
    let on_ray = |e: &[f64; 2]| is_ray(sectors, e);
    // (sector, sign) of interior units; (activation, sign) of ray units.
    let interior: Vec<(usize, f64)> =
        units.iter().zip(c).filter(|(e, _)| !on_ray(e)).map(|(e, &cj)| (sectors.sector_of(*e), cj.signum())).collect();
    let rays: Vec<(Vec<f64>, f64)> =
        units.iter().zip(c).filter(|(e, _)| on_ray(e)).map(|(e, &cj)| (column(*e, x), cj.signum())).collect();
    let ray_units: Vec<[f64; 2]> = units.iter().filter(|e| on_ray(e)).copied().collect();
    let (ni, nr) = (interior.len(), rays.len());
    let size = n + ni + nr;
    // The data points active in each interior unit's sector, and x_l x_i + 1 (the Jacobian's
    // entries), computed once, so that the Newton loop below is plain loops over them. The rich
    // limit runs once per path, but long enough in the browser's baseline WebAssembly code that V8
    // then compiles it with its optimizing tier: kept small (no inlined loop, no iterator filters
    // or 2-D indexing), it compiles several times faster, and `polish` (not inlined) stays in the
    // baseline tier (measured: docs/SOLVER.md, "Measured choices"). The same numbers, bit for bit.
    let active: Vec<Vec<usize>> = interior.iter().map(|&(k, _)| (0..n).filter(|&i| sectors.active[k][i]).collect()).collect();
    let xx: Vec<f64> = x.iter().flat_map(|&xi| x.iter().map(move |&xl| xl * xi + 1.0)).collect(); // [i·n + l]
    let v_of = |act: &[usize], a: &[f64]| -> [f64; 2] {
        let mut v = [0.0, 0.0];
        for &i in act {
            v[0] += a[i] * x[i];
            v[1] += a[i];
        }
        v
    };
    let mut z: Vec<f64> = alpha.to_vec();
    z.extend(units.iter().zip(c).filter(|(e, _)| !on_ray(e)).map(|(_, &cj)| cj.abs() / 2.0));
    z.extend(units.iter().zip(c).filter(|(e, _)| on_ray(e)).map(|(_, &cj)| cj));
    let scale = y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let mut f = vec![0.0; size];
    let mut jacobian = Array2::<f64>::zeros((size, size));
    for _ in 0..30 {
        let (a, rest) = z.split_at(n);
        let (rho, cr) = rest.split_at(ni);
        jacobian.fill(0.0);
        let jac = jacobian.as_slice_mut().expect("a new array is contiguous"); // [row·size + column]
        for i in 0..n {
            f[i] = -y[i];
        }
        for (j, act) in active.iter().enumerate() {
            let v = v_of(act, a);
            for &i in act {
                let value = v[0] * x[i] + v[1];
                f[i] += rho[j] * value;
                jac[i * size + n + j] = value;
                for &l in act {
                    jac[i * size + l] += rho[j] * xx[i * n + l];
                }
            }
            f[n + j] = v[0] * v[0] + v[1] * v[1] - 4.0;
            for &l in act {
                jac[(n + j) * size + l] = 2.0 * (v[0] * x[l] + v[1]);
            }
        }
        for (r, (col, sign)) in rays.iter().enumerate() {
            let row = n + ni + r;
            f[row] = -2.0 * sign;
            for i in 0..n {
                f[i] += cr[r] * col[i];
                jac[i * size + row] = col[i];
                f[row] += a[i] * col[i];
                jac[row * size + i] = col[i];
            }
        }
        let norm = f.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if norm <= 1e-14 * scale {
            break;
        }
        let step = crate::numeric::linalg::lu_solve(&jacobian, &f)?;
        for (zi, si) in z.iter_mut().zip(&step) {
            *zi -= si;
        }
        if !z.iter().all(|v| v.is_finite()) {
            return None;
        }
    }
    let (a, rest) = z.split_at(n);
    let (rho, cr) = rest.split_at(ni);
    let mut out_units = Vec::with_capacity(ni + nr);
    let mut out_c = Vec::with_capacity(ni + nr);
    for (j, (&(k, sign), act)) in interior.iter().zip(&active).enumerate() {
        let v = v_of(act, a);
        let norm = v[0].hypot(v[1]);
        let e = [sign * v[0] / norm, sign * v[1] / norm];
        if !(rho[j] >= 0.0) || sectors.sector_of(e) != k {
            return None;
        }
        out_units.push(e);
        out_c.push(sign * 2.0 * rho[j]);
    }
    for (r, (_, sign)) in rays.iter().enumerate() {
        if cr[r] * sign < 0.0 {
            return None;
        }
        out_units.push(ray_units[r]);
        out_c.push(cr[r]);
    }
    Some((out_units, out_c, a.to_vec()))
}

/// [`polish`], retried without the units whose coefficient is below a growing fraction of the
/// largest: an inexact restricted solution (the column-generation tail) can carry small spurious
/// units whose optimality conditions cannot all hold.
fn polish_pruned(
    sectors: &Sectors,
    x: &[f64],
    y: &[f64],
    units: &[[f64; 2]],
    c: &[f64],
    alpha: &[f64],
) -> Option<Polished> {
    let largest = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for cut in [0.0, 1e-8, 1e-6, 1e-4, 1e-3] {
        let keep: Vec<usize> = (0..c.len()).filter(|&j| c[j].abs() > cut * largest).collect();
        let (u, k): (Vec<[f64; 2]>, Vec<f64>) = keep.iter().map(|&j| (units[j], c[j])).unzip();
        if let Some(p) = polish(sectors, x, y, &u, &k, alpha) {
            return Some(p);
        }
    }
    None
}

/// Whether the unit `e` is one of the breakpoint rays (exactly: rays are copied, not recomputed).
fn is_ray(sectors: &Sectors, e: &[f64; 2]) -> bool {
    sectors.ray.iter().any(|r| (r[0] - e[0]).abs() + (r[1] - e[1]).abs() < 1e-15)
}

/// The restricted LP `min 2Σ(c⁺ + c⁻)` s.t. `Φ(c⁺ − c⁻) = y`: coefficients and multipliers.
fn restricted_lp(columns: &[Vec<f64>], y: &[f64]) -> Result<(Vec<f64>, Vec<f64>)> {
    let (n, k) = (y.len(), columns.len());
    let mut a = vec![0.0; n * 2 * k];
    for (j, col) in columns.iter().enumerate() {
        for i in 0..n {
            a[i * 2 * k + 2 * j] = col[i];
            a[i * 2 * k + 2 * j + 1] = -col[i];
        }
    }
    match solve_standard_form(&a, n, 2 * k, y, &vec![2.0; 2 * k]) {
        LpOutcome::Optimal(sol) => {
            let c = (0..k).map(|j| sol.x[2 * j] - sol.x[2 * j + 1]).collect();
            Ok((c, sol.duals))
        }
        other => Err(Error::Usage(format!("rich limit: the restricted linear program failed ({})", outcome_name(&other)))),
    }
}

fn outcome_name(o: &LpOutcome) -> &'static str {
    match o {
        LpOutcome::Optimal(_) => "optimal",
        LpOutcome::Infeasible { .. } => "infeasible",
        LpOutcome::Unbounded => "unbounded",
        LpOutcome::IterationLimit { .. } => "iteration limit",
        LpOutcome::InvalidInput(_) => "invalid input",
    }
}

/// Assembles the balanced neurons, kinks and the certificate of a final restricted solution.
fn certify(
    x: &[f64],
    y: &[f64],
    units: &[[f64; 2]],
    c: &[f64],
    alpha: Vec<f64>,
    sup: f64,
    rounds: usize,
) -> RichLimit {
    let n = x.len();
    let mut fx = vec![0.0; n];
    for (&e, &cj) in units.iter().zip(c) {
        for (f, col) in fx.iter_mut().zip(column(e, x)) {
            *f += cj * col;
        }
    }
    let cost = 2.0 * c.iter().map(|v| v.abs()).sum::<f64>();
    // α/s is dual feasible (|g| ≤ 2 everywhere): D(α/s) = ⟨α, y⟩/s ≤ M.
    let s = (sup / 2.0).max(1.0);
    let dual = alpha.iter().zip(y).map(|(a, b)| a * b).sum::<f64>() / s;
    let residual = fx.iter().zip(y).map(|(f, v)| (f - v).abs()).fold(0.0, f64::max);
    let mut neurons = Vec::new();
    let mut kinks: Vec<(f64, f64)> = Vec::new();
    for (e, &cj) in units.iter().zip(c) {
        if cj == 0.0 {
            continue;
        }
        let root = cj.abs().sqrt();
        neurons.push([cj.signum() * root, root * e[0], root * e[1]]);
        if e[0].abs() > 1e-12 {
            kinks.push((-e[1] / e[0], cj * e[0].abs()));
        }
    }
    kinks.sort_by(|p, q| p.0.total_cmp(&q.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (k, d) in kinks {
        match merged.last_mut() {
            Some(last) if (last.0 - k).abs() <= 1e-12 * k.abs().max(1.0) => last.1 += d,
            _ => merged.push((k, d)),
        }
    }
    RichLimit {
        cost,
        dual,
        gap: cost - dual,
        residual,
        alpha,
        neurons,
        kinks: merged.iter().map(|m| m.0).collect(),
        slope_changes: merged.iter().map(|m| m.1).collect(),
        rounds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One point: the cheapest unit is aligned with `x̃₁`, cost `2|y₁|/|x̃₁|`.
    #[test]
    fn one_point_closed_form() {
        let r = rich_limit(&[2.0], &[3.0]).unwrap();
        let expected = 2.0 * 3.0 / 5f64.sqrt();
        assert!((r.cost - expected).abs() < 1e-12, "{} vs {expected}", r.cost);
        assert!(r.gap.abs() < 1e-12 && r.residual < 1e-12);
    }

    /// Two points with y on a line through the origin direction: `f = c (e·x̃)₊` with `e ∥` the
    /// least-norm vector `v` with `v·x̃_i = y_i`, cost `2|v|` (a single unit active at both points).
    #[test]
    fn two_points_single_unit() {
        let (x, y) = ([-1.0, 1.0], [1.0, 2.0]);
        // v = (w, b) with -w + b = 1, w + b = 2: w = 0.5, b = 1.5; both activations positive.
        let expected = 2.0 * (0.25f64 + 2.25).sqrt();
        let r = rich_limit(&x, &y).unwrap();
        assert!((r.cost - expected).abs() < 1e-10, "{} vs {expected}", r.cost);
        assert!(r.gap.abs() < 1e-10 && r.residual < 1e-12, "{r:?}");
        assert!(r.kinks.iter().all(|k| !(-1.0..=1.0).contains(k)), "{:?}", r.kinks);
    }

    #[test]
    fn interpolates_and_is_certified() {
        let x = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let y = [0.3, -0.4, 0.6, -0.1, 0.5, -0.3];
        let r = rich_limit(&x, &y).unwrap();
        assert!(r.residual < 1e-12, "residual {}", r.residual);
        assert!(r.gap >= -1e-12 && r.gap <= 1e-9 * r.cost, "gap {}", r.gap);
        let f = r.fit(&x);
        for (fi, yi) in f.iter().zip(&y) {
            assert!((fi - yi).abs() < 1e-12);
        }
        // Sparse: at most about one kink per data point.
        assert!(r.kinks.len() <= x.len() + 2, "{:?}", r.kinks);
    }
}
