//! The local model of the dual used for every ascent step (MATH §6–7).
//!
//! Near `α`, `D(α + Δ)` is a smooth concave part plus, for each *ambiguous* source `p`
//! (several valid pieces `c` of nearly equal value `Q_pc`), a minimum of smooth pieces:
//!
//! `m(Δ) = b·Δ − ½ ΔᵀHΔ + Σ_p min_c (v_pc − F_pc·Δ)`,
//!
//! with `H = J + λI` (the Jacobian of the fit at the current minimizers), `v_pc = τ²ω_p Q_pc(α)`,
//! `F_pc = τ²ω_p φ(θ_pc, X)` and `b = y − λα − f_u(X)`, `f_u` the fit of the unambiguous sources.
//! With Levenberg–Marquardt damping `μ`, its maximizer is found through the dual, a convex QP
//! over the shares `s_pc ≥ 0`, `Σ_c s_pc = 1`:
//!
//! `min_s Σ s_pc v_pc + ½ r(s)ᵀ (H + μI)⁻¹ r(s)`,  `r(s) = b − Σ s_pc F_pc`,  `Δ = (H + μI)⁻¹ r(s)`,
//!
//! by a primal active-set method: for the current active pieces the KKT system says that the
//! active pieces of a source stay tied in the model, `(φ_pc₀ − φ_pc)·Δ = Q_pc₀ − Q_pc`, and that
//! `(H + μI)Δ + Σ s F = b`; a share that turns negative leaves the active set (ratio test), a
//! piece that the model prices below its source's active ones enters. Without ambiguous
//! sources this is the damped Newton step. Unlike a fixed-`α` recovery LP, which must absorb
//! the whole residual with `n` splits, the model lets the smooth part absorb what it can: it
//! finds the split structure of the optimum, and once that is found its steps converge
//! quadratically.

use crate::dual::geometry::{ChoiceIn, Geometry};
use crate::dual::{DualEval, DualProblem};
use crate::numeric::linalg::lu_solve;
use ndarray::Array2;

/// Weight of the share regularization `ε|s|²/2`, relative to `|D|`: it keeps the KKT systems
/// regular when more pieces are active than the `n` dual directions can tie. It perturbs the
/// model's gain by about `ε` per split source, so it must stay far below `D`'s round-off once
/// many sources split: at 1e-10, 50 points near the rich end (~50 splits) saw every model step
/// predict a loss of 4e-9–6e-8 against a round-off of 1e-10 and the ascent stalled at residual
/// 4e-6; at 1e-13 it certifies in 6 iterations.
const SHARE_REGULARIZATION: f64 = 1e-13;

/// Active-set iterations per model solve.
const MAX_ACTIVE_SET_ITERATIONS: usize = 60;

/// The ambiguous sources at `eval`: those with another valid piece `c` that a dual step of
/// length at most `radius` could make minimal, i.e. whose *tie distance*
/// `(Q_pc − Q_p0)/|φ(θ_pc, X) − φ(θ_p0, X)|` is at most `radius` (`Q` moves by `−φ·Δ`); at
/// most `limit` of them, nearest first. The distance does not depend on the source's weight,
/// so light sources with loosely tied pieces do not crowd out the ones that matter.
pub fn ambiguous<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, radius: f64, limit: usize, pieces: Alternatives) -> Ambiguous<G> {
    strip::<G>(ambiguous_with_distances(problem, eval, radius, limit, pieces))
}

/// [`ambiguous`], with each piece's tie distance (0 for the best piece, listed first).
pub fn ambiguous_with_distances<G: Geometry>(
    problem: &DualProblem<G>,
    eval: &DualEval<G>,
    radius: f64,
    limit: usize,
    pieces: Alternatives,
) -> Net<G> {
    scan(problem, eval, radius, limit, pieces).0
}

/// Every source scanned: [`ambiguous_with_distances`], and for each source a lower bound of
/// its nearest tie distance over all its valid pieces (`∞` with no other valid piece).
/// The vectorized [`Pieces::tie_bounds`] bounds every source; the sources are then examined
/// exactly in increasing order of their bounds, until `limit` are found and the next bound is
/// beyond the farthest of them (or beyond `radius`). Examined sources get their exact nearest
/// distance as bound.
fn scan<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, radius: f64, limit: usize, pieces: Alternatives) -> (Net<G>, Vec<f64>) {
    // Examined in the order of the bounds over the pieces `pieces` admits (a source without
    // any is not examined); the bounds kept for the rescans are over every valid piece, so that
    // a piece that turns into a local minimum after a later step is covered (see [`TieBounds`]).
    let ties = problem.geometry.tie_bounds(&eval.pieces, &problem.sources, &eval.choices);
    let admitted = if pieces == Alternatives::All { &ties.all } else { &ties.local_minima };
    let mut order: Vec<usize> =
        (0..admitted.len()).filter(|&p| admitted[p] <= radius && admitted[p] < f64::INFINITY && problem.weights[p] > 0.0).collect();
    order.sort_by(|&p, &q| admitted[p].total_cmp(&admitted[q]).then(p.cmp(&q)));
    let mut bound = ties.all.clone();
    let mut out: Vec<Ranked<G>> = Vec::new();
    // The farthest nearest distance among the `limit` best found so far.
    let mut kept: std::collections::BinaryHeap<Farthest> = std::collections::BinaryHeap::new();
    for p in order {
        if kept.len() >= limit && kept.peek().is_some_and(|f| admitted[p] > f.0) {
            break;
        }
        let (nearest, ranked) = source_ties(problem, eval, p, radius, pieces);
        bound[p] = nearest;
        if let Some(r) = ranked {
            kept.push(Farthest(r.0));
            if kept.len() > limit {
                kept.pop();
            }
            out.push(r);
        }
    }
    (rank::<G>(out, limit), bound)
}

/// A distance ordered for a max-heap.
#[derive(PartialEq)]
struct Farthest(f64);
impl Eq for Farthest {}
impl PartialOrd for Farthest {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Farthest {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The ambiguous sources among `candidates` only (each examined exactly), as [`ambiguous`];
/// `bound[p]` becomes each candidate's exact nearest tie distance (local minima).
fn scan_among<G: Geometry>(
    problem: &DualProblem<G>,
    eval: &DualEval<G>,
    radius: f64,
    limit: usize,
    candidates: &[usize],
    bound: &mut [f64],
) -> Net<G> {
    let mut out: Vec<Ranked<G>> = Vec::new();
    for &p in candidates {
        if problem.weights[p] <= 0.0 {
            continue;
        }
        let (nearest, ranked) = source_ties(problem, eval, p, radius, Alternatives::LocalMinima);
        bound[p] = nearest;
        out.extend(ranked);
    }
    rank::<G>(out, limit)
}

/// Source `p`'s exact nearest tie distance over all its valid pieces `≠` its best, and, when
/// some that `pieces` admits are within `radius`, `(nearest of those, p, pieces)`: the best
/// piece first with distance 0, then those within `radius`.
fn source_ties<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, p: usize, radius: f64, pieces: Alternatives) -> (f64, Option<Ranked<G>>) {
    let t = problem.sources[p];
    let best = eval.choices[p];
    let phi0: Vec<f64> = problem.phis(best.theta);
    let mut kept = vec![(best, 0.0)];
    let mut nearest = f64::INFINITY;
    for piece in G::labels(&eval.pieces) {
        if piece == best.candidate {
            continue;
        }
        let Some((c, true)) = G::on_piece(&eval.pieces, t, piece) else { continue };
        let diff: f64 = problem.x.iter().zip(&phi0).map(|(&x, f0)| (G::phi(c.theta, x) - f0).powi(2)).sum::<f64>().sqrt();
        let distance = (c.value - best.value) / diff.max(f64::MIN_POSITIVE);
        nearest = nearest.min(distance);
        if distance <= radius && (pieces == Alternatives::All || G::is_local_min(&eval.pieces, t, &c)) {
            kept.push((c, distance));
        }
    }
    if kept.len() == 1 {
        return (nearest, None);
    }
    kept[1..].sort_by(|p, q| p.0.value.total_cmp(&q.0.value).then(p.0.candidate.cmp(&q.0.candidate)));
    let within = kept.iter().skip(1).map(|k| k.1).fold(f64::INFINITY, f64::min);
    (nearest, Some((within, p, kept)))
}

/// The `limit` nearest, by source.
fn rank<G: Geometry>(mut out: Vec<Ranked<G>>, limit: usize) -> Net<G> {
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    out.truncate(limit);
    out.sort_by_key(|e| e.1);
    out.into_iter().map(|(_, p, near)| (p, near)).collect()
}

/// Lower bounds of every source's nearest tie distance between the scans of one ascent, so
/// that after a short step only the sources that may have come within reach are rescanned.
/// A tie distance `(Q_c − Q_best)/|Δφ|` moves by about the step length per step (`Q_c` moves
/// by `−φ_c·Δ`); a source is rescanned once its bound, less twice the path travelled since it
/// was scanned, falls within the radius. A heuristic for the model only: a missed source
/// shows as a mispredicted step, after which the ascent scans everything (with every piece).
#[derive(Debug, Clone)]
pub struct TieBounds {
    bound: Vec<f64>,
    /// Path length travelled when each source was last scanned.
    scanned_at: Vec<f64>,
}

impl TieBounds {
    /// A full scan ([`ambiguous`]) that also records the bounds, at path length `travelled`.
    pub fn scan<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, radius: f64, limit: usize, pieces: Alternatives, travelled: f64) -> (Ambiguous<G>, TieBounds) {
        let (amb, bound) = scan(problem, eval, radius, limit, pieces);
        let scanned_at = vec![travelled; bound.len()];
        (strip::<G>(amb), TieBounds { bound, scanned_at })
    }

    /// [`ambiguous`] with local minima only, rescanning only the sources whose bound may have
    /// fallen within `radius` since their last scan (all of them, by the vectorized full scan,
    /// when they are many).
    pub fn rescan<G: Geometry>(&mut self, problem: &DualProblem<G>, eval: &DualEval<G>, radius: f64, limit: usize, travelled: f64) -> Ambiguous<G> {
        let candidates: Vec<usize> = (0..self.bound.len())
            .filter(|&p| self.bound[p] - 2.0 * (travelled - self.scanned_at[p]) <= radius)
            .collect();
        if candidates.len() * FULL_SCAN_FRACTION > self.bound.len() {
            let (amb, fresh) = TieBounds::scan(problem, eval, radius, limit, Alternatives::LocalMinima, travelled);
            *self = fresh;
            return amb;
        }
        for &p in &candidates {
            self.scanned_at[p] = travelled;
        }
        strip::<G>(scan_among(problem, eval, radius, limit, &candidates, &mut self.bound))
    }
}

/// A rescan covering more than `1/FULL_SCAN_FRACTION` of the sources scans them all: the
/// vectorized scan costs about as much as this fraction scanned one source at a time.
const FULL_SCAN_FRACTION: usize = 8;

fn strip<G: Geometry>(amb: Net<G>) -> Ambiguous<G> {
    amb.into_iter().map(|(p, pieces)| (p, pieces.into_iter().map(|(c, _)| c).collect())).collect()
}

/// Ambiguous sources with their pieces and tie distances, by source.
pub type Net<G> = Vec<(usize, Vec<(ChoiceIn<G>, f64)>)>;

/// Ambiguous sources with their pieces (best first), by source.
pub type Ambiguous<G> = Vec<(usize, Vec<ChoiceIn<G>>)>;

/// An ambiguous source ranked by its nearest tie distance.
type Ranked<G> = (f64, usize, Vec<(ChoiceIn<G>, f64)>);

/// Which pieces may stand as alternatives to a source's best one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alternatives {
    /// Only local minimizers of `Q`: fewer, and enough while the model predicts well.
    LocalMinima,
    /// Every valid piece: also one that turns into a local minimum, and the global one, within
    /// a single dual step (a fold).
    All,
}

/// One ambiguous source: its pieces (best first), `F_pc`, `v_pc` and each piece's curvature.
struct Source<G: Geometry> {
    p: usize,
    labels: Vec<G::Label>,
    w: f64,
    values: Vec<f64>,
    /// `φ(θ_c, X)` per piece (unit weight).
    phis: Vec<Vec<f64>>,
    /// `J_pc = ∂F_pc/∂α` per piece (weight included).
    jacobians: Vec<G::Curvature>,
}

/// A model step: `Δ` and the sources the model splits, with their active pieces.
#[derive(Debug, Clone)]
pub struct Step<L> {
    /// The dual step.
    pub delta: Vec<f64>,
    /// `(source, pieces)` for every source with more than one active piece.
    pub splits: Vec<(usize, Vec<L>)>,
}

/// The model `m` at one dual point.
pub struct LocalModel<G: Geometry> {
    n: usize,
    /// `J + λI`: the curvature at the current minimizers (every source on its best piece).
    h: Array2<f64>,
    b: Vec<f64>,
    /// `b − Σ_p w_p φ_p0`: the right-hand side with every ambiguous source on its best piece.
    b_best: Vec<f64>,
    sources: Vec<Source<G>>,
    eps: f64,
}

/// `a·b`, in four interleaved partial sums (so that it vectorizes).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4.remainder().iter().zip(b4.remainder()).map(|(x, y)| x * y).sum();
    for (p, q) in a4.zip(b4) {
        for k in 0..4 {
            acc[k] += p[k] * q[k];
        }
    }
    (acc[0] + acc[2]) + (acc[1] + acc[3]) + tail
}

impl<G: Geometry> LocalModel<G> {
    /// Builds the model at `eval` with the ambiguous sources `amb`.
    pub fn new(problem: &DualProblem<G>, eval: &DualEval<G>, amb: &[(usize, Vec<ChoiceIn<G>>)]) -> LocalModel<G> {
        let n = problem.n();
        let tau2 = problem.tau * problem.tau;
        let mut h = problem.jacobian(eval);
        for i in 0..n {
            h[[i, i]] += problem.lambda;
        }
        // `b − Σ_p w_p φ_p0` is the gradient itself: every source on its best piece.
        let b_best: Vec<f64> = (0..n).map(|i| problem.y[i] - problem.lambda * eval.alpha[i] - eval.fit[i]).collect();
        let mut b = b_best.clone();
        let sources: Vec<Source<G>> = amb
            .iter()
            .map(|(p, pieces)| {
                let w = tau2 * problem.weights[*p];
                let phis: Vec<Vec<f64>> = pieces.iter().map(|c| problem.phis(c.theta)).collect();
                for i in 0..n {
                    b[i] += w * phis[0][i];
                }
                let t = problem.sources[*p];
                let jacobians: Vec<G::Curvature> =
                    pieces.iter().map(|c| problem.geometry.curvature(&problem.x, &eval.pieces, t, c, w)).collect();
                Source { p: *p, labels: pieces.iter().map(|c| c.candidate).collect(), w, values: pieces.iter().map(|c| c.value).collect(), phis, jacobians }
            })
            .collect();
        let eps = SHARE_REGULARIZATION * eval.value.abs().max(f64::MIN_POSITIVE);
        crate::numeric::counters::bump(|c| c.models += 1);
        LocalModel { n, h, b, b_best, sources, eps }
    }

    /// `(H + μI)Δ`: the interpolation residual `r(s)` that the step `Δ = Δ(μ)` removes in the
    /// model.
    pub fn removed(&self, d: &[f64], mu: f64) -> Vec<f64> {
        (0..self.n).map(|i| (0..self.n).map(|l| self.h[[i, l]] * d[l]).sum::<f64>() + mu * d[i]).collect()
    }

    /// Number of ambiguous sources.
    pub fn n_sources(&self) -> usize {
        self.sources.len()
    }

    /// The mean of the diagonal of `H = J + λI`: the scale of the damping `μ`.
    pub fn mean_diagonal(&self) -> f64 {
        (0..self.n).map(|i| self.h[[i, i]]).sum::<f64>() / self.n as f64
    }

    /// `m(Δ) − m(0)`: the gain the model predicts for the step `Δ`.
    pub fn gain(&self, d: &[f64]) -> f64 {
        let hd: Vec<f64> = (0..self.n).map(|i| (0..self.n).map(|l| self.h[[i, l]] * d[l]).sum()).collect();
        let mut g = dot(&self.b, d) - 0.5 * dot(d, &hd);
        for src in &self.sources {
            let best = src
                .values
                .iter()
                .zip(&src.phis)
                .map(|(v, ph)| v - dot(ph, d))
                .fold(f64::INFINITY, f64::min);
            g += src.w * (best - src.values[0]);
        }
        g
    }

    /// The maximizer of `m(Δ) − (μ/2)|Δ|²`, or `None` when a KKT system is singular. The
    /// curvature of the ambiguous sources is that of their pieces weighted by the shares of the
    /// previous pass (the Hessian of the Lagrangian, as in SQP); two passes.
    pub fn step(&self, mu: f64) -> Option<Step<G::Label>> {
        let n = self.n;
        let mut active: Vec<Vec<usize>> = vec![vec![0]; self.sources.len()];
        let mut shares: Vec<Vec<f64>> = vec![vec![1.0]; self.sources.len()];
        let mut h = self.h.clone();
        let mut delta = vec![0.0; n];
        for pass in 0..2 {
            if pass > 0 {
                if active.iter().all(|a| a.len() == 1 && a[0] == 0) {
                    break;
                }
                // H with each source's best-piece curvature replaced by its active pieces'.
                h = self.h.clone();
                for ((src, act), sh) in self.sources.iter().zip(&active).zip(&shares) {
                    if act.len() == 1 && act[0] == 0 {
                        continue;
                    }
                    G::add_curvature(&src.jacobians[0], &mut h, -1.0);
                    for (&c, &s) in act.iter().zip(sh) {
                        G::add_curvature(&src.jacobians[c], &mut h, s);
                    }
                }
            }
            for i in 0..n {
                h[[i, i]] += mu;
            }
            delta = self.active_set(&h, &mut active, &mut shares)?;
        }
        let splits = self
            .sources
            .iter()
            .zip(&active)
            .filter(|(_, act)| act.len() > 1)
            .map(|(src, act)| (src.p, act.iter().map(|&c| src.labels[c]).collect()))
            .collect();
        Some(Step { delta, splits })
    }

    /// The primal active-set iterations for the curvature `h` (damping included), from the
    /// given active sets and shares (updated in place).
    fn active_set(&self, h: &Array2<f64>, active: &mut [Vec<usize>], shares: &mut [Vec<f64>]) -> Option<Vec<f64>> {
        let n = self.n;
        let mut delta = vec![0.0; n];
        let mut last_entered: Option<(usize, usize)> = None;
        for _ in 0..MAX_ACTIVE_SET_ITERATIONS {
            let Some((d, new)) = self.solve_kkt(h, active) else {
                // Singular: the last piece to enter made the ties dependent. Take it out and
                // settle for the step before it (None only if there was none).
                let (si, _) = last_entered.take()?;
                active[si].pop();
                shares[si].pop();
                return Some(delta);
            };
            // Ratio test on the shares.
            let mut theta: f64 = 1.0;
            let mut blocking = None;
            for (si, (old_s, new_s)) in shares.iter().zip(&new).enumerate() {
                for (j, (&old, &nw)) in old_s.iter().zip(new_s).enumerate() {
                    if nw < 0.0 {
                        let t = old / (old - nw);
                        if t < theta {
                            theta = t;
                            blocking = Some((si, j));
                        }
                    }
                }
            }
            for (old_s, new_s) in shares.iter_mut().zip(&new) {
                for (s, &nw) in old_s.iter_mut().zip(new_s) {
                    *s += theta * (nw - *s);
                }
            }
            if let Some((si, j)) = blocking {
                active[si].remove(j);
                shares[si].remove(j);
                let total: f64 = shares[si].iter().sum();
                shares[si].iter_mut().for_each(|s| *s /= total);
                continue;
            }
            delta = d;
            // Pricing: the piece most below its source's active level enters.
            let mut entering = None;
            let mut most = 0.0;
            for (si, src) in self.sources.iter().enumerate() {
                let model = |c: usize| src.w * (src.values[c] - dot(&src.phis[c], &delta));
                let level = model(active[si][0]);
                for c in 0..src.values.len() {
                    if active[si].contains(&c) {
                        continue;
                    }
                    let price = model(c) - level;
                    if price < most - 1e-14 * self.eps.max(level.abs()) {
                        most = price;
                        entering = Some((si, c));
                    }
                }
            }
            match entering {
                Some((si, c)) => {
                    last_entered = Some((si, c));
                    active[si].push(c);
                    shares[si].push(0.0);
                }
                None => return Some(delta),
            }
        }
        Some(delta)
    }

    /// Solves the equality-constrained model for the active pieces: `Δ` and every split
    /// source's shares over its active pieces. A source with one active piece has share 1 on
    /// it, which the caller keeps: its entry is empty (no allocation per source and active-set
    /// iteration — a `vec![1.0]` each was ~10 % of a 256-direction solve's time, natively).
    fn solve_kkt(&self, h: &Array2<f64>, active: &[Vec<usize>]) -> Option<(Vec<f64>, Vec<Vec<f64>>)> {
        let n = self.n;
        // Single-piece sources are fixed at share 1 on their piece; most are on their best one,
        // already subtracted in `b_best`.
        let mut rhs0 = self.b_best.clone();
        for (src, act) in self.sources.iter().zip(active) {
            if act.len() > 1 || act[0] != 0 {
                let c = if act.len() == 1 { Some(act[0]) } else { None };
                for i in 0..n {
                    rhs0[i] += src.w * (src.phis[0][i] - c.map_or(0.0, |c| src.phis[c][i]));
                }
            }
        }
        let split: Vec<usize> = (0..self.sources.len()).filter(|&i| active[i].len() > 1).collect();
        let k: usize = split.iter().map(|&i| active[i].len()).sum();
        let size = n + k;
        let mut a = Array2::<f64>::zeros((size, size));
        let mut rhs = vec![0.0; size];
        for i in 0..n {
            for l in 0..n {
                a[[i, l]] = h[[i, l]];
            }
            rhs[i] = rhs0[i];
        }
        let (mut col, mut row) = (n, n);
        for &si in &split {
            let src = &self.sources[si];
            let act = &active[si];
            let c0 = act[0];
            for (idx, &c) in act.iter().enumerate() {
                for i in 0..n {
                    a[[i, col + idx]] = src.w * src.phis[c][i];
                }
                if idx > 0 {
                    // w(φ_c0 − φ_c)·Δ − ε(s_c0 − s_c) = w(Q_c0 − Q_c)
                    for i in 0..n {
                        a[[row, i]] = src.w * (src.phis[c0][i] - src.phis[c][i]);
                    }
                    a[[row, col]] = -self.eps;
                    a[[row, col + idx]] = self.eps;
                    rhs[row] = src.w * (src.values[c0] - src.values[c]);
                    row += 1;
                }
            }
            for idx in 0..act.len() {
                a[[row, col + idx]] = 1.0;
            }
            rhs[row] = 1.0;
            row += 1;
            col += act.len();
        }
        crate::numeric::counters::bump(|c| {
            c.kkt_solves += 1;
            c.kkt_size += size as u64;
        });
        let sol = lu_solve(&a, &rhs)?;
        if !sol.iter().all(|v| v.is_finite()) {
            return None;
        }
        let mut shares = Vec::with_capacity(self.sources.len());
        let mut col = n;
        for act in active {
            if act.len() > 1 {
                shares.push(sol[col..col + act.len()].to_vec());
                col += act.len();
            } else {
                shares.push(Vec::new());
            }
        }
        Some((sol[..n].to_vec(), shares))
    }
}
