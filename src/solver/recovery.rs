//! Recovering the primal measure from a dual point (MATH §6–7), exactly.
//!
//! At `α`, every source `p` goes to its minimizer `θ*_p` — except the few *ambiguous* sources
//! with several valid pieces of nearly equal value, whose weight may be split. The shares
//! of those solve the small linear program
//!
//! `min Σ τ²ω_p s_pc |θ_pc − θ_p|²  s.t.  Σ τ²ω_p s_pc φ(θ_pc, X) = y − λα − f_fixed(X),
//!  Σ_c s_pc = 1,  s ≥ 0`,
//!
//! whose basic solution, refined by least squares on its basis, interpolates to round-off. Its
//! gap `P − D(α)` is the slack `Σ τ²ω_p s_pc (Q_pc − V_p)` of the pieces used (see
//! [`crate::solver::duality_gap`]); it is small when the ascent has found the maximizer, where
//! the split pieces are exactly tied. The LP is tried first over the split structure the
//! ascent's model converged to, then over ambiguous pieces within increasing tie distances.

use crate::dual::geometry::{ChoiceIn, Geometry};
use crate::dual::{DualEval, DualProblem};
use crate::network::geometry::Sectors;
use crate::numeric::linalg::least_squares;
use crate::numeric::lp::{LpOutcome, solve_standard_form};
use crate::solver::local_model::{Alternatives, ambiguous_with_distances};
use crate::solver::share_lp::{self, ShareLp, ShareStatus};
use ndarray::Array2;

/// Part of source `p`'s weight sent to one neuron.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment<G: Geometry = Sectors> {
    /// Source index.
    pub source: usize,
    /// Fraction of the source's weight.
    pub share: f64,
    /// The destination (unit scale: the neuron is `τ·choice.theta`).
    pub choice: ChoiceIn<G>,
}

/// A primal measure with its certificate numbers.
#[derive(Debug, Clone)]
pub struct Recovered<G: Geometry = Sectors> {
    /// Assignments, grouped by source in increasing order.
    pub rows: Vec<Assignment<G>>,
    /// `f(X)`.
    pub fit: Vec<f64>,
    /// Transport cost `Σ τ²ω_p s |θ − θ_p|²`.
    pub transport: f64,
    /// `P` = transport (+ `|f(X) − y|²/2λ` when λ > 0).
    pub primal: f64,
    /// `max_i |f(x_i) − y_i + λα_i|`.
    pub residual: f64,
    /// Sources with more than one positive share.
    pub split_sources: usize,
}

/// The ladder of tie distances (relative to `|α|`, see [`ambiguous`]) tried until the LP is
/// feasible.
const RADII: [f64; 5] = [1e-10, 1e-8, 1e-6, 1e-4, 1e-2];

/// At most this many ambiguous sources enter the LP (the most nearly tied).
const MAX_AMBIGUOUS: usize = 150;

/// A measure without splits is accepted as exact when its residual is below this (relative to
/// `max(1, max|y|)`).
const RESIDUAL_EXACT: f64 = 1e-12;

/// When neither the unsplit measure nor the ascent's split structure is exact, but one is within
/// this (relative to `max(1, max|y|)`, a hundred times below the certificate's `1e-9`), it is kept
/// without building the net of ambiguous pieces: at the small-τ end of a path that net's LPs are
/// large and return residuals no better (measured: docs/SOLVER.md, "Measured choices").
const RESIDUAL_GOOD: f64 = 1e-11;

/// Data sets up to this many points solve the share LP with [`crate::solver::share_lp`].
const GUB_MAX_ROWS: usize = 16;

/// Shares of value below this are dropped from the reported measure.
const SHARE_FLOOR: f64 = 1e-15;

/// Re-solves the basic columns of the LP by least squares (Householder QR) so that the
/// equality rows hold to round-off rather than to the simplex's tolerances; kept only if the
/// shares stay nonnegative and the residual shrinks.
fn refine(a: &[f64], m: usize, k: usize, b: &[f64], x: &mut [f64], basis: &[usize]) {
    if basis.is_empty() {
        return;
    }
    let residual = |x: &[f64]| -> f64 {
        (0..m).map(|i| ((0..k).map(|j| a[i * k + j] * x[j]).sum::<f64>() - b[i]).abs()).fold(0.0, f64::max)
    };
    let mut bmat = Array2::<f64>::zeros((m, basis.len()));
    for i in 0..m {
        for (c, &j) in basis.iter().enumerate() {
            bmat[[i, c]] = a[i * k + j];
        }
    }
    let Some(xb) = least_squares(&bmat, b) else { return };
    if xb.iter().any(|&v| !(v >= -1e-12)) {
        return;
    }
    let mut refined = vec![0.0; k];
    for (c, &j) in basis.iter().enumerate() {
        refined[j] = xb[c].max(0.0);
    }
    if residual(&refined) < residual(x) {
        x.copy_from_slice(&refined);
    }
}

/// Computes the measure's numbers from its rows.
pub fn certify_rows<G: Geometry>(problem: &DualProblem<G>, alpha: &[f64], rows: Vec<Assignment<G>>) -> Recovered<G> {
    let tau2 = problem.tau * problem.tau;
    let n = problem.n();
    let mut fit = vec![0.0; n];
    let mut carry = vec![0.0; n];
    let mut transport = 0.0;
    let mut per_source = vec![0u8; problem.sources.len()];
    for r in &rows {
        let m = tau2 * problem.weights[r.source] * r.share;
        for ((fi, ci), &xi) in fit.iter_mut().zip(carry.iter_mut()).zip(&problem.x) {
            let term = m * G::phi(r.choice.theta, xi);
            let sum = *fi + term;
            *ci += if fi.abs() >= term.abs() { (*fi - sum) + term } else { (term - sum) + *fi };
            *fi = sum;
        }
        // The transport of the neurons as reported (not the piece's `cost`, which equals it
        // but for round-off — except on a sector at the very edge of the domain, |v_k|² =
        // 1 − 2e-11 in one case, where the two differed by 8e-6 relative for one neuron).
        transport += m * G::dist2(r.choice.theta, problem.sources[r.source]);
        per_source[r.source] = per_source[r.source].saturating_add(1);
    }
    for (fi, ci) in fit.iter_mut().zip(&carry) {
        *fi += ci;
    }
    let mut residual: f64 = 0.0;
    let mut misfit2 = 0.0;
    for i in 0..n {
        residual = residual.max((fit[i] - problem.y[i] + problem.lambda * alpha[i]).abs());
        misfit2 += (fit[i] - problem.y[i]).powi(2);
    }
    let primal = if problem.lambda > 0.0 { transport + misfit2 / (2.0 * problem.lambda) } else { transport };
    let split_sources = per_source.iter().filter(|&&c| c > 1).count();
    Recovered { rows, fit, transport, primal, residual, split_sources }
}

/// Solves the share LP at `eval`: first over the pieces of `hint` (the split structure the
/// ascent's model converged to), then over the ambiguous pieces within increasing tie
/// distances (see [`crate::solver::local_model::ambiguous`]); the first LP whose measure interpolates within
/// `RESIDUAL_GOOD` wins (the nearest ties: the smallest gap), and the ladder ends at the first
/// rung that holds `MAX_AMBIGUOUS` sources. If none interpolates, the measure with the smallest
/// residual is returned (and will not certify). These two rules (accept at `RESIDUAL_GOOD`,
/// stop at `MAX_AMBIGUOUS`) cut the recovery's time by more than half with the same
/// certificates (measured: docs/SOLVER.md, "Measured choices").
pub fn recover<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, hint: &[(usize, Vec<G::Label>)]) -> Recovered<G> {
    let scale_y = problem.y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let (mut best, settled) = recover_on_hint(problem, eval, hint);
    if settled {
        return best;
    }
    let good = RESIDUAL_GOOD * scale_y;
    let norm_alpha = eval.alpha.iter().map(|a| a * a).sum::<f64>().sqrt().max(f64::MIN_POSITIVE);
    let attempt = |amb: &[(usize, Vec<ChoiceIn<G>>)], best: &mut Recovered<G>| -> bool {
        if amb.is_empty() {
            return false;
        }
        if let Some(rec) = solve_share_lp(problem, eval, amb) {
            if rec.residual <= good {
                *best = rec;
                return true;
            }
            if rec.residual < best.residual {
                *best = rec;
            }
        }
        false
    };
    // The widest net once; each rung of the ladder keeps the pieces within its distance (a
    // rung that adds none is not solved again).
    let widest = ambiguous_with_distances(problem, eval, RADII[RADII.len() - 1] * norm_alpha, MAX_AMBIGUOUS, Alternatives::All);
    let mut previous = 0;
    for &r in &RADII {
        let rung: Vec<(usize, Vec<ChoiceIn<G>>)> = widest
            .iter()
            .filter_map(|(p, pieces)| {
                let within: Vec<ChoiceIn<G>> = pieces.iter().filter(|(_, d)| *d <= r * norm_alpha).map(|(c, _)| *c).collect();
                (within.len() > 1).then_some((*p, within))
            })
            .collect();
        let columns: usize = rung.iter().map(|(_, c)| c.len()).sum();
        if columns == previous {
            continue;
        }
        previous = columns;
        if attempt(&rung, &mut best) {
            return best;
        }
        // A rung that holds as many sources as the net can only add pieces to them: the next
        // rungs' LPs, the costliest of the recovery, left the residual where it was
        // (measured: docs/SOLVER.md, "Measured choices").
        if rung.len() >= MAX_AMBIGUOUS {
            break;
        }
    }
    best
}

/// The cheap first part of [`recover`]: every source on its best piece, then the share LP over
/// the split structure `hint` the ascent's model converged to (which usually suffices). Also
/// returns whether that settles the recovery — the measure interpolates exactly, or is
/// within `RESIDUAL_GOOD` — so that the costly net of ambiguous pieces is not needed.
pub fn recover_on_hint<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, hint: &[(usize, Vec<G::Label>)]) -> (Recovered<G>, bool) {
    let scale_y = problem.y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let exact = RESIDUAL_EXACT * scale_y;
    let unsplit = certify_rows(problem, &eval.alpha, every_source_on_its_best(problem, eval, &[]));
    if unsplit.residual <= exact {
        return (unsplit, true);
    }
    let mut best = unsplit;
    let hinted: Vec<(usize, Vec<ChoiceIn<G>>)> = hint
        .iter()
        .filter_map(|(p, labels)| {
            let t = problem.sources[*p];
            let mut pieces = vec![eval.choices[*p]];
            for &label in labels {
                if let Some((c, _)) = G::on_piece(&eval.pieces, t, label) {
                    if !pieces.iter().any(|q| q.candidate == c.candidate) {
                        pieces.push(c);
                    }
                }
            }
            (pieces.len() > 1).then_some((*p, pieces))
        })
        .collect();
    if !hinted.is_empty() {
        if let Some(rec) = solve_share_lp(problem, eval, &hinted) {
            if rec.residual < best.residual {
                best = rec;
            }
        }
    }
    let settled = best.residual <= RESIDUAL_GOOD * scale_y;
    (best, settled)
}

/// Every source not listed in `except` sent whole to its best piece.
fn every_source_on_its_best<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, except: &[(usize, Vec<ChoiceIn<G>>)]) -> Vec<Assignment<G>> {
    let mut skip = vec![false; problem.sources.len()];
    for (p, _) in except {
        skip[*p] = true;
    }
    (0..problem.sources.len())
        .filter(|&p| !skip[p])
        .map(|p| Assignment { source: p, share: 1.0, choice: eval.choices[p] })
        .collect()
}

/// The share LP over the pieces of `amb` (every other source on its best piece).
fn solve_share_lp<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, amb: &[(usize, Vec<ChoiceIn<G>>)]) -> Option<Recovered<G>> {
    let n = problem.n();
    let tau2 = problem.tau * problem.tau;
    let mut rows = every_source_on_its_best(problem, eval, amb);
    // f(X) of the sources kept on their best piece: the evaluation's fit less the others.
    let mut fixed_fit = eval.fit.clone();
    for (p, _) in amb {
        let m = tau2 * problem.weights[*p];
        for (f, &xi) in fixed_fit.iter_mut().zip(&problem.x) {
            *f -= m * G::phi(eval.choices[*p].theta, xi);
        }
    }
    let k: usize = amb.iter().map(|(_, c)| c.len()).sum();
    let mut a = vec![0.0; n * k];
    let mut cost = vec![0.0; k];
    let mut groups = Vec::with_capacity(amb.len());
    let mut col = 0;
    for (p, cands) in amb {
        let w = tau2 * problem.weights[*p];
        groups.push(col..col + cands.len());
        for c in cands {
            for (i, &xi) in problem.x.iter().enumerate() {
                a[col * n + i] = w * G::phi(c.theta, xi);
            }
            cost[col] = w * c.cost;
            col += 1;
        }
    }
    let r: Vec<f64> = (0..n).map(|i| problem.y[i] - problem.lambda * eval.alpha[i] - fixed_fit[i]).collect();
    let lp = ShareLp { n, groups: &groups, a: &a, c: &cost, r: &r };
    // The structured solver where it wins (up to `GUB_MAX_ROWS` points); on more points the
    // dense one was faster and certified more τ's (measured: docs/SOLVER.md, "Measured choices").
    let gub = if n <= GUB_MAX_ROWS {
        share_lp::solve(&lp, None)
    } else {
        share_lp::ShareSolution { status: ShareStatus::Failed, x: Vec::new(), basis: share_lp::GubBasis { keys: Vec::new(), others: Vec::new() }, pivots: 0 }
    };
    crate::numeric::counters::bump(|c| {
        c.share_lps += 1;
        c.lp_rows += n as u64;
        c.lp_columns += k as u64;
        c.lp_pivots += gub.pivots as u64;
    });
    let solution_x = match gub.status {
        ShareStatus::Optimal | ShareStatus::Infeasible => gub.x,
        ShareStatus::Failed => dense_share_lp(n, &groups, &a, &cost, &r)?,
    };
    let mut col = 0;
    for (p, cands) in amb {
        let total: f64 = solution_x[col..col + cands.len()].iter().sum();
        for (j, c) in cands.iter().enumerate() {
            let s = solution_x[col + j] / total.max(f64::MIN_POSITIVE);
            if s > SHARE_FLOOR {
                rows.push(Assignment { source: *p, share: s, choice: *c });
            }
        }
        col += cands.len();
    }
    rows.sort_by_key(|r| r.source);
    Some(certify_rows(problem, &eval.alpha, rows))
}

/// The share LP by the dense two-phase simplex ([`crate::numeric::lp`]), the fallback when the
/// structured solver gives up: `a` column-major `n × k`, `groups` the columns of each source.
fn dense_share_lp(n: usize, groups: &[std::ops::Range<usize>], a: &[f64], cost: &[f64], r: &[f64]) -> Option<Vec<f64>> {
    let k = cost.len();
    let m = n + groups.len();
    let mut dense = vec![0.0; m * k];
    for j in 0..k {
        for i in 0..n {
            dense[i * k + j] = a[j * n + i];
        }
    }
    for (g, cols) in groups.iter().enumerate() {
        for j in cols.clone() {
            dense[(n + g) * k + j] = 1.0;
        }
    }
    let mut b = r.to_vec();
    b.extend(std::iter::repeat_n(1.0, groups.len()));
    // An "infeasible" verdict within the simplex's tolerance can still leave a residual far
    // below the certificate's; the phase-one optimum is then judged by its actual residual.
    let outcome = solve_standard_form(&dense, m, k, &b, cost);
    crate::numeric::counters::bump(|c| {
        if let LpOutcome::Optimal(s) | LpOutcome::Infeasible { closest: s, .. } = &outcome {
            c.lp_pivots += s.pivots as u64;
        }
    });
    let mut solution = match outcome {
        LpOutcome::Optimal(s) => s,
        LpOutcome::Infeasible { closest, .. } => closest,
        _ => return None,
    };
    refine(&dense, m, k, &b, &mut solution.x, &solution.basis);
    Some(solution.x)
}
