//! Recovering the primal measure from a dual point (MATH §6–7), exactly.
//!
//! At `α`, every source `p` goes to its minimizer `θ*_p` — except the few *ambiguous* sources
//! with several local minimizers within `δ` of the best, whose weight may be split. The shares
//! of those solve the small linear program
//!
//! `min Σ τ²ω_p s_pc |θ_pc − θ_p|²  s.t.  Σ τ²ω_p s_pc φ(θ_pc, X) = y − λα − f_fixed(X),
//!  Σ_c s_pc = 1,  s ≥ 0`,
//!
//! whose basic solution interpolates to round-off. Its gap `P − D(α)` is the slack
//! `Σ τ²ω_p s_pc (Q_pc − V_p)` of the chosen non-optimal candidates, so `α` is then refined by
//! a Newton step on the *tie system* defined by the LP's basis (which sources split, between
//! which pieces): unknowns `Δα` and the new shares, equations
//!
//! * `(J + λI) Δα + Σ_split F_pc s'_pc = y − λα − f_unsplit(X)` (interpolation, linearized),
//! * `(φ(θ_pc₀, X) − φ(θ_pc, X))·Δα = Q_pc₀ − Q_pc` (tied pieces stay tied),
//! * `Σ_c s'_pc = 1`,
//!
//! a square system that converges quadratically once the split structure is right.

use crate::direction::Choice;
use crate::dual::{Accumulator, DualEval, DualProblem};
use crate::linalg::lu_solve;
use crate::lp::{LpOutcome, solve_standard_form};
use crate::model::phi;
use ndarray::Array2;

/// Part of source `p`'s weight sent to one neuron.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    /// Source index.
    pub source: usize,
    /// Fraction of the source's weight.
    pub share: f64,
    /// The destination (unit scale: the neuron is `τ·choice.theta`).
    pub choice: Choice,
}

/// A primal measure with its certificate numbers.
#[derive(Debug, Clone)]
pub struct Recovered {
    /// Assignments, grouped by source in increasing order.
    pub rows: Vec<Assignment>,
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

/// The δ ladder (relative to `|θ_p|² + |V_p|`) tried until the LP is feasible.
const DELTAS: [f64; 8] = [1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1];

/// A measure without splits is accepted as exact when its residual is below this (relative to
/// `max(1, max|y|)`).
const RESIDUAL_EXACT: f64 = 1e-12;

/// Shares of value below this are dropped from the reported measure.
const SHARE_FLOOR: f64 = 1e-15;

/// Computes the measure's numbers from its rows.
pub fn certify_rows(problem: &DualProblem, alpha: &[f64], rows: Vec<Assignment>) -> Recovered {
    let tau2 = problem.tau * problem.tau;
    let n = problem.n();
    let mut fit = vec![0.0; n];
    let mut transport = 0.0;
    let mut per_source = vec![0u8; problem.sources.len()];
    for r in &rows {
        let m = tau2 * problem.weights[r.source] * r.share;
        for (fi, &xi) in fit.iter_mut().zip(&problem.x) {
            *fi += m * phi(r.choice.theta, xi);
        }
        transport += m * r.choice.cost;
        per_source[r.source] = per_source[r.source].saturating_add(1);
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

/// Sources with more than one near-optimal local minimizer at `eval`, with those minimizers.
fn ambiguous_sources(problem: &DualProblem, eval: &DualEval, delta: f64) -> Vec<(usize, Vec<Choice>)> {
    let mut out = Vec::new();
    for (p, t) in problem.sources.iter().enumerate() {
        let best = eval.choices[p];
        let scale = t[0] * t[0] + t[1] * t[1] + t[2] * t[2] + best.value.abs();
        let near = eval.pieces.near_best(*t, delta * scale);
        if near.len() > 1 {
            out.push((p, near));
        }
    }
    out
}

/// Solves the share LP at `eval` for increasing δ; the first feasible one wins.
pub fn recover(problem: &DualProblem, eval: &DualEval) -> Recovered {
    let n = problem.n();
    let tau2 = problem.tau * problem.tau;
    let widest = ambiguous_sources(problem, eval, DELTAS[DELTAS.len() - 1]);
    let unique_rows = |skip: &[bool]| -> Vec<Assignment> {
        (0..problem.sources.len())
            .filter(|&p| !skip[p])
            .map(|p| Assignment { source: p, share: 1.0, choice: eval.choices[p] })
            .collect()
    };
    let mut fallback: Option<Recovered> = None;
    for &delta in &DELTAS {
        // Candidates of each ambiguous source within this δ.
        let amb: Vec<(usize, Vec<Choice>)> = widest
            .iter()
            .filter_map(|(p, near)| {
                let t = problem.sources[*p];
                let scale = t[0] * t[0] + t[1] * t[1] + t[2] * t[2] + near[0].value.abs();
                let within: Vec<Choice> = near.iter().copied().filter(|c| c.value <= near[0].value + delta * scale).collect();
                (within.len() > 1).then_some((*p, within))
            })
            .collect();
        let mut skip = vec![false; problem.sources.len()];
        for (p, _) in &amb {
            skip[*p] = true;
        }
        let mut rows = unique_rows(&skip);
        if amb.is_empty() {
            // Nothing to split at this δ: exact only if the dual point is already smooth-optimal.
            let rec = certify_rows(problem, &eval.alpha, rows);
            if rec.residual <= RESIDUAL_EXACT * problem.y.iter().fold(1.0f64, |m, v| m.max(v.abs())) {
                return rec;
            }
            if fallback.as_ref().is_none_or(|f| rec.residual < f.residual) {
                fallback = Some(rec);
            }
            continue;
        }
        let fixed = certify_rows(problem, &eval.alpha, rows.clone());
        let m = n + amb.len();
        let k: usize = amb.iter().map(|(_, c)| c.len()).sum();
        let mut a = vec![0.0; m * k];
        let mut cost = vec![0.0; k];
        let mut col = 0;
        for (row, (p, cands)) in amb.iter().enumerate() {
            let w = tau2 * problem.weights[*p];
            for c in cands {
                for (i, &xi) in problem.x.iter().enumerate() {
                    a[i * k + col] = w * phi(c.theta, xi);
                }
                a[(n + row) * k + col] = 1.0;
                cost[col] = w * c.cost;
                col += 1;
            }
        }
        let mut b: Vec<f64> = (0..n).map(|i| problem.y[i] - problem.lambda * eval.alpha[i] - fixed.fit[i]).collect();
        b.extend(std::iter::repeat_n(1.0, amb.len()));
        let outcome = solve_standard_form(&a, m, k, &b, &cost);
        if std::env::var("SP_DEBUG").is_ok() {
            let tag = match &outcome { LpOutcome::Optimal(_) => "optimal".to_string(), LpOutcome::Infeasible { infeasibility, .. } => format!("infeasible {infeasibility:e}"), LpOutcome::Unbounded => "unbounded".into(), _ => "iterlimit".into() };
            eprintln!("  delta {delta:e}: {} ambiguous, {k} columns, LP {tag}", amb.len());
        }
        let (solution, feasible) = match outcome {
            LpOutcome::Optimal(s) => (s, true),
            LpOutcome::Infeasible { closest, .. } => (closest, false),
            _ => continue,
        };
        let mut col = 0;
        for (p, cands) in &amb {
            let total: f64 = solution.x[col..col + cands.len()].iter().sum();
            for (j, c) in cands.iter().enumerate() {
                let s = solution.x[col + j] / total.max(f64::MIN_POSITIVE);
                if s > SHARE_FLOOR {
                    rows.push(Assignment { source: *p, share: s, choice: *c });
                }
            }
            col += cands.len();
        }
        rows.sort_by_key(|r| r.source);
        let rec = certify_rows(problem, &eval.alpha, rows);
        if feasible {
            return rec;
        }
        if fallback.as_ref().is_none_or(|f| rec.residual < f.residual) {
            fallback = Some(rec);
        }
    }
    fallback.unwrap_or_else(|| certify_rows(problem, &eval.alpha, unique_rows(&vec![false; problem.sources.len()])))
}

/// One Newton step on the tie system of `rec` at `eval`; returns `Δα`, or `None` when the
/// system is singular.
pub fn tie_newton_step(problem: &DualProblem, eval: &DualEval, rec: &Recovered) -> Option<Vec<f64>> {
    let n = problem.n();
    let tau2 = problem.tau * problem.tau;
    // Group rows by source; split sources have more than one row.
    let mut groups: Vec<(usize, Vec<Assignment>)> = Vec::new();
    for r in &rec.rows {
        match groups.last_mut() {
            Some((p, g)) if *p == r.source => g.push(*r),
            _ => groups.push((r.source, vec![*r])),
        }
    }
    let mut jac = Accumulator::new(problem.sectors.len());
    let mut unsplit = Accumulator::new(problem.sectors.len());
    let mut split: Vec<&Vec<Assignment>> = Vec::new();
    for (_, g) in &groups {
        for r in g {
            jac.add(&eval.pieces, &r.choice, tau2 * problem.weights[r.source] * r.share, true);
        }
        if g.len() > 1 {
            split.push(g);
        } else {
            unsplit.add(&eval.pieces, &g[0].choice, tau2 * problem.weights[g[0].source], false);
        }
    }
    let k: usize = split.iter().map(|g| g.len()).sum();
    let size = n + k;
    let mut a = Array2::<f64>::zeros((size, size));
    let mut rhs = vec![0.0; size];
    let j = jac.jacobian(&problem.sectors, &problem.x);
    let f_unsplit = unsplit.fit(&problem.sectors, &problem.x);
    for i in 0..n {
        for l in 0..n {
            a[[i, l]] = j[[i, l]];
        }
        a[[i, i]] += problem.lambda;
        rhs[i] = problem.y[i] - problem.lambda * eval.alpha[i] - f_unsplit[i];
    }
    let mut col = n;
    let mut row = n;
    for g in &split {
        let w = tau2 * problem.weights[g[0].source];
        let phi0: Vec<f64> = problem.x.iter().map(|&xi| phi(g[0].choice.theta, xi)).collect();
        for (idx, r) in g.iter().enumerate() {
            for (i, &xi) in problem.x.iter().enumerate() {
                a[[i, col + idx]] = w * phi(r.choice.theta, xi);
            }
            if idx > 0 {
                for (i, &xi) in problem.x.iter().enumerate() {
                    a[[row, i]] = phi0[i] - phi(r.choice.theta, xi);
                }
                rhs[row] = g[0].choice.value - r.choice.value;
                row += 1;
            }
        }
        for idx in 0..g.len() {
            a[[row, col + idx]] = 1.0;
        }
        rhs[row] = 1.0;
        row += 1;
        col += g.len();
    }
    let sol = lu_solve(&a, &rhs)?;
    let step: Vec<f64> = sol[..n].to_vec();
    step.iter().all(|v| v.is_finite()).then_some(step)
}

/// Debug statistics (temporary).
pub fn debug_ambiguity(problem: &DualProblem, eval: &DualEval) {
    use crate::direction::Candidate;
    let mut counts = [0usize; 4];
    let mut shown = 0;
    for (p, t) in problem.sources.iter().enumerate() {
        let best = eval.choices[p];
        let scale = t[0] * t[0] + t[1] * t[1] + t[2] * t[2] + best.value.abs();
        let mut valid = vec![];
        let pieces = (0..eval.pieces.v.len() as u32).map(Candidate::Interior).chain((0..eval.pieces.c.len() as u32).map(Candidate::Ray)).chain(std::iter::once(Candidate::Dead));
        for piece in pieces {
            if let Some((c, true)) = eval.pieces.on_piece(*t, piece) {
                if c.value <= best.value + 1e-3 * scale { valid.push(c); }
            }
        }
        let lm: Vec<_> = valid.iter().filter(|c| eval.pieces.is_local_min(*t, c)).collect();
        if valid.len() > 1 { counts[0] += 1; }
        if lm.len() > 1 { counts[1] += 1; }
        if lm.is_empty() { counts[2] += 1; }
        if valid.len() > 1 && shown < 5 {
            shown += 1;
            eprintln!("source {p} t {:?} best {:?}", t, best);
            for c in &valid { eprintln!("    {:?} {:.6e} lm {}", c.candidate, c.value - best.value, eval.pieces.is_local_min(*t, c)); }
        }
    }
    eprintln!("sources with >1 valid near {} ; >1 local-min near {}; none local-min {}", counts[0], counts[1], counts[2]);
}
