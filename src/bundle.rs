//! The model step that gets the dual unstuck at a kink (MATH §7).
//!
//! Near its maximizer `D` is a smooth concave part plus, for each *ambiguous* source `p`
//! (several local minimizers `c` of nearly equal value), a minimum of smooth pieces. The model
//!
//! `m(Δ) = (y − λα − f_u)·Δ − ½ ΔᵀHΔ + Σ_p min_c (v_pc − F_pc·Δ)`,  `H = J + λI`,
//!
//! (`v_pc = τ²ω_p Q_pc(α)`, `F_pc = τ²ω_p φ(θ_pc, X)`, `f_u` the fit of the unambiguous
//! sources) is maximized exactly through its dual, a convex QP over the shares `s_pc`
//! (`s ≥ 0`, `Σ_c s_pc = 1`):
//!
//! `min_s Σ s_pc v_pc + ½ r(s)ᵀ H⁻¹ r(s)`,  `r(s) = y − λα − f_u − Σ s_pc F_pc`,  `Δ = H⁻¹ r(s)`.
//!
//! It is solved by a primal active-set method: for the current active pieces, the KKT system
//! says the active pieces of a source stay tied in the model (`(φ_pc₀ − φ_pc)·Δ = Q_pc₀ − Q_pc`)
//! and `HΔ + Σ s F = y − λα − f_u`; a share that turns negative leaves the active set (ratio
//! test), a piece that the model prices below its source's active ones enters it. Unlike the
//! fixed-`α` recovery LP, which must absorb the whole residual with `n` splits, the model lets
//! the smooth part absorb what it can, so it finds the split structure of the optimum and its
//! steps converge quadratically once that structure is found.

use crate::direction::Choice;
use crate::dual::{DualEval, DualProblem};
use crate::linalg::lu_solve;
use crate::model::phi;
use ndarray::Array2;

/// One ambiguous source: its pieces (best first) and the active set with shares.
struct Source {
    p: usize,
    pieces: Vec<Choice>,
    /// `φ(θ_c, X)` per piece (unit weight).
    phis: Vec<Vec<f64>>,
    active: Vec<usize>,
    shares: Vec<f64>,
}

/// The ambiguous sources at `eval`: local minimizers within `delta·(|θ_p|² + |V_p|)` of the best.
pub fn ambiguous(problem: &DualProblem, eval: &DualEval, delta: f64) -> Vec<(usize, Vec<Choice>)> {
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

/// The maximizer `Δ` of the model at `eval` over the pieces of `amb`, or `None` when a KKT
/// system is singular.
pub fn model_step(problem: &DualProblem, eval: &DualEval, amb: Vec<(usize, Vec<Choice>)>) -> Option<Vec<f64>> {
    let n = problem.n();
    let tau2 = problem.tau * problem.tau;
    let mut h = problem.jacobian(eval);
    let trace: f64 = (0..n).map(|i| h[[i, i]]).sum();
    for i in 0..n {
        h[[i, i]] += problem.lambda + 1e-13 * trace / n as f64;
    }
    // b = y − λα − f_u: remove the ambiguous sources' current contribution from the fit.
    let mut b: Vec<f64> = (0..n).map(|i| problem.y[i] - problem.lambda * eval.alpha[i] - eval.fit[i]).collect();
    let mut sources: Vec<Source> = amb
        .into_iter()
        .map(|(p, pieces)| {
            let phis: Vec<Vec<f64>> = pieces.iter().map(|c| problem.x.iter().map(|&x| phi(c.theta, x)).collect()).collect();
            let w = tau2 * problem.weights[p];
            for i in 0..n {
                b[i] += w * phis[0][i];
            }
            Source { p, pieces, phis, active: vec![0], shares: vec![1.0] }
        })
        .collect();
    let mut delta = vec![0.0; n];
    for _ in 0..60 {
        let (d, shares) = solve_kkt(problem, &h, &b, &sources)?;
        // Ratio test on the shares of split sources.
        let mut theta: f64 = 1.0;
        let mut blocking = None;
        for (si, src) in sources.iter().enumerate() {
            for (j, (&old, &new)) in src.shares.iter().zip(&shares[si]).enumerate() {
                if new < 0.0 {
                    let t = old / (old - new);
                    if t < theta {
                        theta = t;
                        blocking = Some((si, j));
                    }
                }
            }
        }
        if let Some((si, j)) = blocking {
            let src = &mut sources[si];
            for (s, &new) in src.shares.iter_mut().zip(&shares[si]) {
                *s += theta * (new - *s);
            }
            src.active.remove(j);
            src.shares.remove(j);
            let total: f64 = src.shares.iter().sum();
            src.shares.iter_mut().for_each(|s| *s /= total);
            for other in sources.iter_mut().enumerate().filter(|(k, _)| *k != si) {
                let (k, o) = other;
                for (s, &new) in o.shares.iter_mut().zip(&shares[k]) {
                    *s += theta * (new - *s);
                }
            }
            continue;
        }
        for (src, s) in sources.iter_mut().zip(shares) {
            src.shares = s;
        }
        delta = d;
        // Pricing: the piece most below its source's active level enters.
        let mut entering = None;
        let mut most = 0.0;
        for (si, src) in sources.iter().enumerate() {
            let t = problem.sources[src.p];
            let scale = t[0] * t[0] + t[1] * t[1] + t[2] * t[2] + src.pieces[0].value.abs();
            let model = |c: usize| src.pieces[c].value - dot(&src.phis[c], &delta);
            let level = model(src.active[0]);
            for c in 0..src.pieces.len() {
                if src.active.contains(&c) {
                    continue;
                }
                let price = (model(c) - level) / scale;
                if price < most - 1e-13 {
                    most = price;
                    entering = Some((si, c));
                }
            }
        }
        match entering {
            Some((si, c)) => {
                sources[si].active.push(c);
                sources[si].shares.push(0.0);
            }
            None => return Some(delta),
        }
    }
    Some(delta)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves the equality-constrained model for the current active sets: returns `Δ` and the
/// shares of every source's active pieces.
fn solve_kkt(problem: &DualProblem, h: &Array2<f64>, b: &[f64], sources: &[Source]) -> Option<(Vec<f64>, Vec<Vec<f64>>)> {
    let n = problem.n();
    let tau2 = problem.tau * problem.tau;
    let mut rhs0 = b.to_vec();
    // Single-piece sources are fixed at share 1 on their piece.
    for src in sources.iter().filter(|s| s.active.len() == 1) {
        let w = tau2 * problem.weights[src.p];
        let phi_c = &src.phis[src.active[0]];
        for i in 0..n {
            rhs0[i] -= w * phi_c[i];
        }
    }
    let split: Vec<usize> = (0..sources.len()).filter(|&i| sources[i].active.len() > 1).collect();
    let k: usize = split.iter().map(|&i| sources[i].active.len()).sum();
    let size = n + k;
    let mut a = Array2::<f64>::zeros((size, size));
    let mut rhs = vec![0.0; size];
    for i in 0..n {
        for l in 0..n {
            a[[i, l]] = h[[i, l]];
        }
        rhs[i] = rhs0[i];
    }
    let mut col = n;
    let mut row = n;
    for &si in &split {
        let src = &sources[si];
        let w = tau2 * problem.weights[src.p];
        let c0 = src.active[0];
        for (idx, &c) in src.active.iter().enumerate() {
            for i in 0..n {
                a[[i, col + idx]] = w * src.phis[c][i];
            }
            if idx > 0 {
                for i in 0..n {
                    a[[row, i]] = src.phis[c0][i] - src.phis[c][i];
                }
                rhs[row] = src.pieces[c0].value - src.pieces[c].value;
                row += 1;
            }
        }
        for idx in 0..src.active.len() {
            a[[row, col + idx]] = 1.0;
        }
        rhs[row] = 1.0;
        row += 1;
        col += src.active.len();
    }
    let sol = lu_solve(&a, &rhs)?;
    if !sol.iter().all(|v| v.is_finite()) {
        return None;
    }
    let mut shares = Vec::with_capacity(sources.len());
    let mut col = n;
    for src in sources {
        if src.active.len() > 1 {
            shares.push(sol[col..col + src.active.len()].to_vec());
            col += src.active.len();
        } else {
            shares.push(vec![1.0]);
        }
    }
    Some((sol[..n].to_vec(), shares))
}
