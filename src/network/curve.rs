//! The infinite-width function drawn accurately between the data (MATH §8).
//!
//! The solve uses a quadrature of `ν0` aligned with the data breakpoints, so every integral
//! *at the data* is accurate; off the data, `f(x) = τ² ∫ φ(θ*_α(t), x) dν0(t)` has a kink in `t`
//! where `w x + b = 0` for that very `x`, and the solve's rule leaves percent-level errors there.
//! Since `θ*_α(t)` is computable for any direction once `α` is known, each point `x` of the grid
//! gets its own rule, aligned with the breakpoints of `X ∪ {x}`.
//!
//! Meaningful where `θ*_α` depends smoothly on the direction (moderate and large τ). At small τ
//! the optimal measure sits on a few directions near the edge of the dual domain, whose pushed
//! mass is extremely sensitive to the rule: measured on `example.csv`, the curve changes by 0.2
//! between 1 536 and 6 144 directions per point at τ ≤ 1 (6e-4 at τ = 100, 6e-7 at τ = 10³), and
//! there the solve's own fit (the exact function of its measure) is the one to draw.

use crate::dual::direction::{PRUNING_BANDS, Pieces, Pruned, pruning_band};
use crate::network::geometry::{Sectors, cross};
use crate::network::init::{Law, aligned_rule, aligned_rule_where, data_range};
use crate::network::model::phi;

/// `f(x) = τ² Σ_p ω_p φ(θ*_α(t_p), x)` for each `x` of `grid`, with a rule of about
/// `directions_per_point` directions of `law` aligned with the breakpoints of `X ∪ {x}`.
pub fn infinite_width_curve(
    x: &[f64],
    alpha: &[f64],
    tau: f64,
    law: Law,
    grid: &[f64],
    directions_per_point: usize,
) -> Vec<f64> {
    let tau2 = tau * tau;
    let mut out = Vec::with_capacity(grid.len());
    let mut xs = x.to_vec();
    xs.push(0.0);
    let mut alphas = alpha.to_vec();
    alphas.push(0.0); // the evaluation point carries no multiplier: it only refines the sectors
    let scale = x.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let range = data_range(x);
    for &g in grid {
        // A point within round-off of a data abscissa would cut a sector of zero width (whose
        // active set cannot be told): evaluate at that abscissa's breakpoint instead.
        let snapped = x.iter().copied().find(|xi| (xi - g).abs() <= 1e-12 * scale).unwrap_or(g);
        *xs.last_mut().expect("nonempty") = snapped;
        let sectors = Sectors::new(&xs);
        let pieces = Pieces::new(&sectors, &xs, &alphas);
        let (neurons, weights) = aligned_rule(law, directions_per_point, &xs, range);
        let f: f64 = pieces.best_all(&neurons).iter().zip(&weights).map(|(c, &w)| w * phi(c.theta, g)).sum();
        out.push(tau2 * f);
    }
    out
}

/// One row of a discretized measure: its source's direction, the neuron at unit scale and its
/// mass (`τ² ω_p · share`).
#[derive(Debug, Clone, Copy)]
pub struct MeasureRow {
    /// Direction `θ_p` of the source (only its `(w, b)` part is used: which sector it lies in).
    pub source: [f64; 3],
    /// `θ*` at unit scale.
    pub theta: [f64; 3],
    /// `τ² ω_p · share`.
    pub mass: f64,
}

/// The nodes that [`corrected_curve`] re-integrates at each point of a grid, with the two sectors
/// of the data's breakpoints each point cuts: they depend on the data, the law and the grid only
/// (not on τ or α), so a path computes them once for all its τ.
#[derive(Debug, Clone)]
pub struct CurveRules {
    /// Per grid point; `None` within round-off of a data abscissa (it cuts no sector).
    points: Vec<Option<PointRule>>,
}

/// The re-aligned nodes of one grid point `g` in its cut sectors.
#[derive(Debug, Clone)]
struct PointRule {
    g: f64,
    /// The sectors of the data's breakpoints that `g`'s rays `±(1, −g)/√(1 + g²)` cut.
    cut: [usize; 2],
    /// Nodes grouped by band of `|t_u|/|t|` ([`pruning_band`]), in rule order within a band.
    nodes: Vec<[f64; 3]>,
    weights: Vec<f64>,
    /// `nodes[bands[b]..bands[b + 1]]` lie in band `b`.
    bands: Vec<usize>,
}

impl CurveRules {
    /// For each point `g` of `grid`: the nodes of a rule of `law` of about
    /// `directions_per_point` directions over the whole sphere aligned with the breakpoints of
    /// `X ∪ {g}` (kink range `range`), those in the two sectors of `X` that `g` cuts.
    pub fn new(x: &[f64], law: Law, range: (f64, f64), grid: &[f64], directions_per_point: usize) -> CurveRules {
        let sectors = Sectors::new(x);
        let scale = x.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        let mut xs = x.to_vec();
        xs.push(0.0);
        let points = grid
            .iter()
            .map(|&g| {
                if x.iter().any(|xi| (xi - g).abs() <= 1e-12 * scale) {
                    return None;
                }
                let norm = f64::sqrt(1.0 + g * g);
                let cut = [sectors.sector_of([1.0 / norm, -g / norm]), sectors.sector_of([-1.0 / norm, g / norm])];
                *xs.last_mut().expect("nonempty") = g;
                let spans: Vec<([f64; 2], [f64; 2])> =
                    cut.iter().map(|&k| (sectors.ray[k], sectors.ray[(k + 1) % sectors.len()])).collect();
                let inside = |u: [f64; 2]| spans.iter().any(|&(start, end)| cross(start, u) >= 0.0 && cross(u, end) > 0.0);
                // A node's (w, b) is cos β·(cos ϕ, sin ϕ) with cos β > 0: its sector is its ϕ's.
                let (rule, rule_weights) = aligned_rule_where(law, directions_per_point, &xs, range, inside);
                let band: Vec<usize> = rule.iter().map(pruning_band).collect();
                let mut nodes = Vec::with_capacity(rule.len());
                let mut weights = Vec::with_capacity(rule.len());
                let mut bands = vec![0];
                for b in 0..PRUNING_BANDS.len() {
                    for p in (0..rule.len()).filter(|&p| band[p] == b) {
                        nodes.push(rule[p]);
                        weights.push(rule_weights[p]);
                    }
                    bands.push(nodes.len());
                }
                Some(PointRule { g, cut, nodes, weights, bands })
            })
            .collect();
        CurveRules { points }
    }
}

/// The same curve as [`infinite_width_curve`] for a fraction of its cost, by correcting the
/// measure's own fit: for a grid point `g`, only the two sectors of the data breakpoints that
/// `g`'s breakpoint rays `±(1, −g)/√(1 + g²)` cut hold an integrand kinked inside them; every other
/// sector's contribution is smooth in the direction, and the data-aligned rule of the solve
/// already integrates it. So
///
/// `f(g) = f_measure(g) − Σ_{rows in the cut sectors} m φ(θ, g) + τ² Σ_{nodes in the cut sectors} ω φ(θ*_α(t), g)`,
///
/// the last sum over the nodes of `rules` (a rule aligned with `X ∪ {g}`, see [`CurveRules`]),
/// each compared only with the pieces that can be its minimizer ([`Pieces::pruned_within`]).
/// `measure_fit[j]` is the measure's function at the `j`-th grid point of `rules`; a grid point
/// within round-off of a data abscissa cuts no sector and keeps it.
pub fn corrected_curve(x: &[f64], alpha: &[f64], tau: f64, rules: &CurveRules, rows: &[MeasureRow], measure_fit: &[f64]) -> Vec<f64> {
    let tau2 = tau * tau;
    let sectors = Sectors::new(x);
    let pieces = Pieces::new(&sectors, x, alpha);
    let mut by_sector: Vec<Vec<(usize, f64)>> = vec![Vec::new(); sectors.len()];
    for (j, r) in rows.iter().enumerate() {
        by_sector[sectors.sector_of([r.source[1], r.source[2]])].push((j, r.mass));
    }
    // The pieces worth comparing for the nodes of each pair of cut sectors (by the first).
    let mut pruned: Vec<Option<Pruned>> = vec![None; sectors.len()];
    rules
        .points
        .iter()
        .zip(measure_fit)
        .map(|(rule, &fm)| {
            let Some(PointRule { g, cut, nodes, weights, bands }) = rule else { return fm };
            let old: f64 = cut
                .iter()
                .flat_map(|&k| by_sector[k].iter())
                .map(|&(j, m)| m * phi(rows[j].theta, *g))
                .sum();
            let pruned = pruned[cut[0]].get_or_insert_with(|| pieces.pruned_within(cut));
            let mut new = 0.0;
            for b in 0..PRUNING_BANDS.len() {
                let (lo, hi) = (bands[b], bands[b + 1]);
                if lo < hi {
                    let best = pieces.best_thetas_in_band(&nodes[lo..hi], pruned, b);
                    new += best.iter().zip(&weights[lo..hi]).map(|(&theta, &w)| w * phi(theta, *g)).sum::<f64>();
                }
            }
            fm - old + tau2 * new
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::kernel_limit::KernelInterpolant;
    use crate::network::model::linspace;
    use crate::{Data, PathParams, solve_path};

    /// At τ = 10³ the scaling path is within O(1/τ) of the kernel interpolant (MATH §4): the
    /// re-aligned curve must be within 5e-3·max|y| of the closed form on the whole grid (the
    /// solve's own rule misses by 7.5e-2 between the data), and reproduce the data.
    #[test]
    fn kernel_end_matches_the_closed_form_between_the_data() {
        let data = Data::new(vec![-1.6, -0.9, -0.2, 0.5, 1.1, 1.7], vec![0.3, -0.4, 0.6, -0.1, 0.5, -0.3]).unwrap();
        let params = PathParams { taus: vec![1e3], ..PathParams::default() };
        let report = solve_path(&data, &params.check(&data).unwrap(), |_, _, _| {}).unwrap();
        let alpha = &report.path[0].alpha;
        let grid = linspace(-2.5, 2.5, 101);
        let curve = infinite_width_curve(&data.x, alpha, 1e3, Law::Gaussian, &grid, 1536);
        let kernel = KernelInterpolant::gaussian(&data.x, &data.y).unwrap();
        let sup = grid.iter().zip(&curve).map(|(&g, &c)| (c - kernel.eval(g)).abs()).fold(0.0, f64::max);
        assert!(sup <= 5e-3 * 0.6, "sup |f_τ − f_K| = {sup:e}");
        let at_data = infinite_width_curve(&data.x, alpha, 1e3, Law::Gaussian, &data.x, 1536);
        for (f, y) in at_data.iter().zip(&data.y) {
            assert!((f - y).abs() < 1e-6, "{f} vs {y}");
        }
    }

    /// The corrected curve (measure fit + re-aligned cut sectors) against the fully re-aligned
    /// rule and the closed form at τ = 10³, and at τ = 100 against the full rule.
    #[test]
    fn corrected_curve_matches_the_full_realigned_rule() {
        use crate::dual::DualProblem;
        use crate::network::init::{InitialMeasure, Width};
        use crate::network::model::evaluate_sorted;
        use crate::solver::{SolverSettings, solve};
        let data = Data::new(vec![-1.6, -0.9, -0.2, 0.5, 1.1, 1.7], vec![0.3, -0.4, 0.6, -0.1, 0.5, -0.3]).unwrap();
        let grid = linspace(-2.5, 2.5, 101);
        let kernel = KernelInterpolant::gaussian(&data.x, &data.y).unwrap();
        let init = InitialMeasure::new(Law::Gaussian, true, Width::Directions(4096), &data.x).unwrap();
        for tau in [1e3, 1e2] {
            let params = PathParams { taus: vec![tau], ..PathParams::default() };
            let alpha = solve_path(&data, &params.check(&data).unwrap(), |_, _, _| {}).unwrap().path[0].alpha.clone();
            let problem = DualProblem::new(&data.x, &data.y, 0.0, tau, &init);
            let sol = solve(&problem, &alpha, SolverSettings::default());
            assert!(sol.certified);
            let rows: Vec<MeasureRow> = sol
                .measure
                .rows
                .iter()
                .map(|r| MeasureRow {
                    source: init.neurons[r.source],
                    theta: r.choice.theta,
                    mass: tau * tau * init.weights[r.source] * r.share,
                })
                .collect();
            let thetas: Vec<[f64; 3]> = rows.iter().map(|r| r.theta).collect();
            let masses: Vec<f64> = rows.iter().map(|r| r.mass).collect();
            let measure_fit = evaluate_sorted(&thetas, &masses, &grid);
            let range = data_range(&data.x);
            let rules = CurveRules::new(&data.x, Law::Gaussian, range, &grid, 1536);
            let fast = corrected_curve(&data.x, &sol.eval.alpha, tau, &rules, &rows, &measure_fit);
            let full = infinite_width_curve(&data.x, &sol.eval.alpha, tau, Law::Gaussian, &grid, 1536);
            let sup = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max);
            let to_kernel = grid.iter().zip(&fast).map(|(&g, &c)| (c - kernel.eval(g)).abs()).fold(0.0, f64::max);
            let measure_off = sup(&measure_fit, &full);
            if tau == 1e3 {
                assert!(to_kernel <= 1e-4, "τ = {tau}: corrected curve {to_kernel:e} from f_K");
            }
            // Far closer to the full re-aligned rule than the measure's own fit is.
            assert!(sup(&fast, &full) <= measure_off / 20.0, "τ = {tau}: {:e} vs measure {measure_off:e}", sup(&fast, &full));
        }
    }
}
