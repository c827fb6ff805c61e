//! A small dense two-phase simplex solver for linear programs in standard form,
//!
//! ```text
//! minimize c·x   subject to   A x = b,   x >= 0,        A: m × k (row-major).
//! ```
//!
//! It is meant for the "recover a measure exactly" step of the solver (m up to ~150 rows,
//! k up to ~1500 columns, badly scaled and degenerate rows), where the caller needs a correct
//! optimal basis (or, for an infeasible system, the least-infeasible one).
//!
//! # Method
//! * **Scaling.** Row i is multiplied by `±2^-e_i` where `2^e_i <= max_j |a_ij| < 2^(e_i+1)` and
//!   the sign makes `b_i >= 0`; then column j by `2^-f_j` (same rule on the row-scaled column), and
//!   the costs by a power of two so that `max_j |c_j| ∈ [1, 2)`. Powers of two are exact, so
//!   scaling adds no rounding; every tolerance below refers to this equilibrated problem, and all
//!   results (x, objective, duals) are reported for the original, unscaled data.
//! * **Dense tableau**, `m × (k + m + 1)`: the structural columns, one artificial per row (kept
//!   for the whole solve, since its reduced cost is minus a dual value) and the right-hand side.
//! * **Phase one** minimizes the sum of the artificials, i.e. `sum_i |(A x - b)_i| / 2^e_i`. If
//!   the optimum exceeds `FEAS_TOL · max(|b̃|_∞, |x̃|_∞)` the problem is infeasible and the phase-one
//!   basis is returned. Otherwise the artificials still basic (at zero) are driven out by a
//!   degenerate pivot on the largest structural entry of their row; a row with no entry above
//!   `DRIVE_TOL` is a linear combination of the other rows: it is marked redundant, ignored by
//!   the ratio test of phase two, and gets dual value 0.
//! * **Phase two** minimizes `c̃·x̃` from that basis; artificials never re-enter.
//! * **Pricing.** Dantzig's rule (most negative reduced cost on the equilibrated columns). After
//!   `DEGENERATE_RUN` consecutive degenerate pivots it switches to Bland's rule (smallest entering
//!   index, exact min-ratio ties broken by the smallest basic index) until a pivot makes progress,
//!   which rules out cycling.
//! * **Ratio test.** Harris' two-pass test with tolerance `HARRIS_TOL · |b̃|_∞`: among the rows
//!   whose ratio is within the relaxed minimum, the largest pivot is taken (ties: smallest basic
//!   index). Basic values pushed below zero by at most that tolerance are reset to zero.
//! * **Reinversion.** At the end of each phase the tableau is recomputed from the original data
//!   by Gauss–Jordan elimination with partial pivoting on the current basis, the reduced costs
//!   are recomputed, and optimality is re-checked (pivoting resumes if needed, at most
//!   `REFINE_ROUNDS` times). Reported values come from this fresh tableau.
//! * **Termination.** Besides the anti-cycling rule, the number of pivots is capped at
//!   `10 (m + k) + 100`; reaching it yields [`LpOutcome::IterationLimit`].
//!
//! # Tolerances (on the equilibrated problem)
//! | name | value | meaning |
//! |---|---|---|
//! | `PIVOT_TOL` | 1e-11 | a pivot must exceed `PIVOT_TOL · max(1, max_r |T_rq|)` (column-relative) |
//! | `DUAL_TOL` | 1e-11 | a column enters if its reduced cost `< -DUAL_TOL · (1 + |ỹ|_∞)` |
//! | `HARRIS_TOL` | 1e-11 | ratio-test relaxation, relative to `|b̃|_∞` |
//! | `FEAS_TOL` | 1e-9 | phase-one optimum above `FEAS_TOL · max(|b̃|_∞, |x̃|_∞)` means infeasible |
//! | `DRIVE_TOL` | 1e-9 | smallest entry used to drive an artificial out after phase one |
//!
//! Cost: `O(m (k + m))` flops per pivot, `2 m (k + m + 1)` doubles of memory. The algorithm is
//! deterministic (no randomness, fixed tie-breaking, no hashing).

/// Column-relative pivot tolerance.
const PIVOT_TOL: f64 = 1e-11;
/// Reduced-cost tolerance, relative to `1 + |ỹ|_∞`.
const DUAL_TOL: f64 = 1e-11;
/// Harris ratio-test relaxation, relative to `|b̃|_∞`.
const HARRIS_TOL: f64 = 1e-11;
/// Relative phase-one optimum above which the problem is declared infeasible.
const FEAS_TOL: f64 = 1e-9;
/// Smallest structural entry used to pivot a zero artificial out of the basis.
const DRIVE_TOL: f64 = 1e-9;
/// Smallest pivot accepted during reinversion (else the old tableau is kept).
const SINGULAR_TOL: f64 = 1e-14;
/// Consecutive degenerate pivots after which Bland's rule takes over.
const DEGENERATE_RUN: usize = 10;
/// Maximal number of (optimize, reinvert, re-check) rounds per phase.
const REFINE_ROUNDS: usize = 3;

/// Outcome of [`solve_standard_form`].
#[derive(Debug, Clone)]
pub enum LpOutcome {
    /// An optimal basic solution.
    Optimal(LpSolution),
    /// No `x >= 0` satisfies `A x = b`. `closest` is the phase-one optimum: the basic solution
    /// that minimizes `infeasibility = sum_i |(A x - b)_i| / 2^e_i`, where `2^e_i` is the power of
    /// two with `2^e_i <= max_j |a_ij| < 2^(e_i+1)` (1 for a zero row). Its `duals` are the
    /// phase-one duals, a Farkas certificate: `A^T y <= 0` (up to tolerance) and
    /// `b·y = infeasibility > 0`; its `objective` is `c·x` of that point.
    Infeasible {
        /// The least-infeasible basic solution.
        closest: LpSolution,
        /// The (row-scaled) l1 residual of `closest`.
        infeasibility: f64,
    },
    /// The problem is feasible and the objective is unbounded below on the feasible set.
    Unbounded,
    /// The pivot cap `10 (m + k) + 100` was reached (should not happen in practice). `current` is
    /// the basic solution at that point: feasible (`A x = b`) if `feasible` is true (phase two),
    /// otherwise a phase-one point with artificials still positive.
    IterationLimit {
        /// The current basic solution.
        current: LpSolution,
        /// Whether phase one had finished (so `current` satisfies `A x = b`).
        feasible: bool,
    },
    /// Dimensions do not match (`a.len() != m k`, `b.len() != m` or `c.len() != k`) or an input
    /// is NaN or infinite; the message says which.
    InvalidInput(&'static str),
}

/// A basic solution of the LP, in the units of the original (unscaled) data.
#[derive(Debug, Clone)]
pub struct LpSolution {
    /// Primal values, length k, all >= 0.
    pub x: Vec<f64>,
    /// Objective value c·x.
    pub objective: f64,
    /// Dual values y (length m) for the equality rows, such that reduced costs
    /// `c_j - (A^T y)_j >= -tol` for all j, and `c·x = b·y` at optimum. Redundant rows get 0.
    pub duals: Vec<f64>,
    /// Indices (into 0..k) of the basic columns, ascending (length <= m; rows whose basic
    /// variable is an artificial at zero are reported as redundant and omitted).
    pub basis: Vec<usize>,
    /// Number of pivots performed (phase one, driving artificials out, phase two).
    pub pivots: usize,
}

/// minimize c·x subject to A x = b, x >= 0. `a` is row-major m×k (`a[i*k + j]`).
///
/// Never panics; always terminates. See the module documentation for the method and
/// tolerances, and [`LpOutcome`] for the possible results.
pub fn solve_standard_form(a: &[f64], m: usize, k: usize, b: &[f64], c: &[f64]) -> LpOutcome {
    solve_with(a, m, k, b, c, DEGENERATE_RUN)
}

/// `1 / 2^e` where `2^e <= v < 2^(e+1)` (exponent clamped to ±200); 1 for zero or non-finite `v`.
fn pow2_recip(v: f64) -> f64 {
    if !(v > 0.0 && v.is_finite()) {
        return 1.0;
    }
    let e = ((v.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    2f64.powi(-e.clamp(-200, 200))
}

fn max_abs<'a>(v: impl IntoIterator<Item = &'a f64>) -> f64 {
    v.into_iter().fold(0.0, |acc, x| acc.max(x.abs()))
}

/// The solver proper; `bland_after` is the degenerate-run length before Bland's rule.
fn solve_with(a: &[f64], m: usize, k: usize, b: &[f64], c: &[f64], bland_after: usize) -> LpOutcome {
    if m.checked_mul(k) != Some(a.len()) || b.len() != m || c.len() != k {
        return LpOutcome::InvalidInput("dimensions of a, b, c do not match m and k");
    }
    if a.iter().chain(b).chain(c).any(|v| !v.is_finite()) {
        return LpOutcome::InvalidInput("a, b and c must be finite");
    }
    let rmul: Vec<f64> = (0..m)
        .map(|i| pow2_recip(max_abs(&a[i * k..(i + 1) * k])) * if b[i] < 0.0 { -1.0 } else { 1.0 })
        .collect();
    let cmul: Vec<f64> =
        (0..k).map(|j| pow2_recip((0..m).fold(0.0, |s: f64, i| s.max((a[i * k + j] * rmul[i]).abs())))).collect();
    let at: Vec<f64> = (0..m * k).map(|p| a[p] * rmul[p / k.max(1)] * cmul[p % k.max(1)]).collect();
    let bt: Vec<f64> = b.iter().zip(&rmul).map(|(v, r)| v * r).collect();
    let ct: Vec<f64> = c.iter().zip(&cmul).map(|(v, s)| v * s).collect();
    let cscale = pow2_recip(max_abs(&ct));
    let un = Unscale { rmul: &rmul, cmul: &cmul, c };

    let mut tab = Tableau::new(&at, &bt, m, k, bland_after);
    let mut cost = vec![0.0; k + m];
    cost[k..].fill(1.0);
    tab.set_costs(cost);
    if tab.optimize() == Status::IterationLimit {
        return LpOutcome::IterationLimit { current: tab.extract(&un, 1.0), feasible: false };
    }
    // The l1 residual of the phase-one point, computed from the data.
    let xt = tab.primal();
    let infeasibility: f64 = (0..m)
        .map(|i| (bt[i] - at[i * k..(i + 1) * k].iter().zip(&xt).map(|(p, q)| p * q).sum::<f64>()).abs())
        .sum();
    if infeasibility > FEAS_TOL * max_abs(&bt).max(max_abs(&xt)) {
        return LpOutcome::Infeasible { closest: tab.extract(&un, 1.0), infeasibility };
    }
    tab.drive_out();
    tab.phase_two = true;
    let mut cost: Vec<f64> = ct.iter().map(|v| v * cscale).collect();
    cost.resize(k + m, 0.0);
    tab.set_costs(cost);
    match tab.optimize() {
        Status::Optimal => LpOutcome::Optimal(tab.extract(&un, 1.0 / cscale)),
        Status::Unbounded => LpOutcome::Unbounded,
        Status::IterationLimit => {
            LpOutcome::IterationLimit { current: tab.extract(&un, 1.0 / cscale), feasible: true }
        }
    }
}

/// Result of one simplex run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Optimal,
    Unbounded,
    IterationLimit,
}

/// The scale factors needed to report a solution in original units.
struct Unscale<'a> {
    rmul: &'a [f64],
    cmul: &'a [f64],
    c: &'a [f64],
}

/// Dense simplex tableau on the equilibrated problem.
struct Tableau {
    m: usize,
    k: usize,
    /// Row width `k + m + 1`; column `w - 1` holds the basic values.
    w: usize,
    /// Current tableau `B^-1 [Ã | I | b̃]`, row-major m × w.
    t: Vec<f64>,
    /// The initial tableau `[Ã | I | b̃]`, for reinversion.
    t0: Vec<f64>,
    /// Reduced costs of all columns (last entry: minus the objective).
    d: Vec<f64>,
    /// Costs of the current phase, length k + m.
    cost: Vec<f64>,
    /// Basic column of each row.
    basis: Vec<usize>,
    /// Columns barred from entering (numerically rayed columns in phase one).
    blocked: Vec<bool>,
    scratch: Vec<f64>,
    phase_two: bool,
    /// Harris tolerance (absolute).
    delta: f64,
    pivots: usize,
    cap: usize,
    bland_after: usize,
}

impl Tableau {
    fn new(at: &[f64], bt: &[f64], m: usize, k: usize, bland_after: usize) -> Self {
        let w = k + m + 1;
        let mut t = vec![0.0; m * w];
        for i in 0..m {
            let row = &mut t[i * w..(i + 1) * w];
            row[..k].copy_from_slice(&at[i * k..(i + 1) * k]);
            row[k + i] = 1.0;
            row[w - 1] = bt[i];
        }
        Tableau {
            m,
            k,
            w,
            t0: t.clone(),
            t,
            d: vec![0.0; w],
            cost: vec![0.0; k + m],
            basis: (k..k + m).collect(),
            blocked: vec![false; k],
            scratch: vec![0.0; w],
            phase_two: false,
            delta: HARRIS_TOL * max_abs(bt),
            pivots: 0,
            cap: 10 * (m + k) + 100,
            bland_after,
        }
    }

    fn rhs(&self, r: usize) -> f64 {
        self.t[r * self.w + self.w - 1]
    }

    fn set_costs(&mut self, cost: Vec<f64>) {
        self.cost = cost;
        self.blocked.fill(false);
        self.price();
    }

    /// Recomputes the reduced costs `d = cost - cost_B^T T` from the tableau.
    fn price(&mut self) {
        let w = self.w;
        self.d[..w - 1].copy_from_slice(&self.cost);
        self.d[w - 1] = 0.0;
        for r in 0..self.m {
            let cb = self.cost[self.basis[r]];
            if cb != 0.0 {
                axpy(&mut self.d, -cb, &self.t[r * w..(r + 1) * w]);
            }
        }
        for r in 0..self.m {
            self.d[self.basis[r]] = 0.0;
        }
    }

    /// Gauss–Jordan pivot on entry (p, q); basic columns stay exact unit vectors.
    fn pivot(&mut self, p: usize, q: usize) {
        let w = self.w;
        let inv = 1.0 / self.t[p * w + q];
        let mut prow = std::mem::take(&mut self.scratch);
        for (s, &v) in prow.iter_mut().zip(&self.t[p * w..(p + 1) * w]) {
            *s = v * inv;
        }
        prow[q] = 1.0;
        self.t[p * w..(p + 1) * w].copy_from_slice(&prow);
        for r in (0..self.m).filter(|&r| r != p) {
            let row = &mut self.t[r * w..(r + 1) * w];
            let f = row[q];
            if f != 0.0 {
                axpy(row, -f, &prow);
                row[q] = 0.0;
            }
        }
        let f = self.d[q];
        if f != 0.0 {
            axpy(&mut self.d, -f, &prow);
            self.d[q] = 0.0;
        }
        self.scratch = prow;
        self.basis[p] = q;
    }

    /// Resets basic values slightly below zero (at most the Harris tolerance) to zero.
    fn clamp_rhs(&mut self) {
        let w = self.w;
        for r in 0..self.m {
            let v = &mut self.t[r * w + w - 1];
            if *v < 0.0 {
                *v = 0.0;
            }
        }
    }

    /// Entering column: Dantzig (most negative reduced cost) or Bland (first negative one).
    fn entering(&self, bland: bool) -> Option<usize> {
        let k = self.k;
        let ymax = (0..self.m).fold(0.0, |s: f64, i| s.max((self.cost[k + i] - self.d[k + i]).abs()));
        let mut best_d = -DUAL_TOL * (1.0 + ymax);
        let mut best = None;
        for j in (0..k).filter(|&j| !self.blocked[j]) {
            if self.d[j] < best_d {
                best = Some(j);
                if bland {
                    break;
                }
                best_d = self.d[j];
            }
        }
        best
    }

    /// Leaving row for entering column q (None: no positive pivot, i.e. a ray).
    fn leaving(&self, q: usize, bland: bool) -> Option<usize> {
        let w = self.w;
        let col = |r: usize| self.t[r * w + q];
        let ptol = PIVOT_TOL * (0..self.m).fold(1.0, |s: f64, r| s.max(col(r).abs()));
        // In phase two the rows still holding an artificial are redundant: skip them.
        let rows = (0..self.m).filter(|&r| col(r) > ptol && !(self.phase_two && self.basis[r] >= self.k));
        let mut best: Option<usize> = None;
        if bland {
            for r in rows {
                let better = best.is_none_or(|s| {
                    let (ratio, old) = (self.rhs(r) / col(r), self.rhs(s) / col(s));
                    ratio < old || (ratio == old && self.basis[r] < self.basis[s])
                });
                if better {
                    best = Some(r);
                }
            }
            return best;
        }
        let theta = rows.clone().fold(f64::INFINITY, |s, r| s.min((self.rhs(r) + self.delta) / col(r)));
        for r in rows.filter(|&r| self.rhs(r) / col(r) <= theta) {
            if best.is_none_or(|s| col(r) > col(s) || (col(r) == col(s) && self.basis[r] < self.basis[s])) {
                best = Some(r);
            }
        }
        best
    }

    /// Simplex iterations of the current phase until optimal, unbounded or the pivot cap.
    fn iterate(&mut self) -> Status {
        let mut degenerate_run = 0;
        loop {
            let bland = degenerate_run >= self.bland_after;
            let Some(q) = self.entering(bland) else { return Status::Optimal };
            if self.pivots >= self.cap {
                return Status::IterationLimit;
            }
            let Some(p) = self.leaving(q, bland) else {
                if self.phase_two {
                    return Status::Unbounded;
                }
                // Phase one is bounded below: a numerical ray; stop considering the column.
                self.blocked[q] = true;
                continue;
            };
            degenerate_run = if self.rhs(p) <= self.delta { degenerate_run + 1 } else { 0 };
            self.pivot(p, q);
            self.clamp_rhs();
            self.pivots += 1;
        }
    }

    /// Iterates, then reinverts and re-checks optimality (at most `REFINE_ROUNDS` rounds).
    fn optimize(&mut self) -> Status {
        let mut status = Status::Optimal;
        for round in 0..REFINE_ROUNDS {
            status = self.iterate();
            let fresh = self.reinvert();
            self.blocked.fill(false);
            let done = match status {
                Status::Optimal => !fresh || self.entering(false).is_none(),
                Status::Unbounded => round > 0 || !fresh,
                Status::IterationLimit => true,
            };
            if done {
                return status;
            }
        }
        status
    }

    /// Recomputes the tableau of the current basis from the initial one (partial pivoting),
    /// then the reduced costs. Keeps the old tableau and returns false if the basis is singular.
    fn reinvert(&mut self) -> bool {
        let (m, k, w) = (self.m, self.k, self.w);
        let saved = std::mem::replace(&mut self.t, self.t0.clone());
        let saved_basis = std::mem::replace(&mut self.basis, (k..k + m).collect());
        let mut cols = saved_basis.clone();
        cols.sort_unstable_by_key(|&j| (j < k, j)); // artificials first: they keep their own row
        let mut done = vec![false; m];
        for &q in &cols {
            let mut best = None;
            let mut big = SINGULAR_TOL;
            for r in (0..m).filter(|&r| !done[r]) {
                if self.t[r * w + q].abs() > big {
                    big = self.t[r * w + q].abs();
                    best = Some(r);
                }
            }
            let Some(p) = best else {
                self.t = saved;
                self.basis = saved_basis;
                self.price();
                return false;
            };
            self.pivot(p, q);
            done[p] = true;
        }
        self.clamp_rhs();
        self.price();
        true
    }

    /// After a feasible phase one: pivots every basic artificial out on the largest structural
    /// entry of its row; rows without one (redundant rows) keep their artificial.
    fn drive_out(&mut self) {
        let (k, w) = (self.k, self.w);
        for r in 0..self.m {
            if self.basis[r] < k {
                continue;
            }
            let mut best = None;
            let mut big = DRIVE_TOL;
            for (j, v) in self.t[r * w..r * w + k].iter().enumerate() {
                if v.abs() > big {
                    big = v.abs();
                    best = Some(j);
                }
            }
            if let Some(q) = best {
                self.t[r * w + w - 1] = 0.0;
                self.pivot(r, q);
                self.pivots += 1;
            }
        }
    }

    /// The basic solution on the equilibrated problem (structural part).
    fn primal(&self) -> Vec<f64> {
        let mut x = vec![0.0; self.k];
        for r in 0..self.m {
            if self.basis[r] < self.k {
                x[self.basis[r]] = self.rhs(r).max(0.0);
            }
        }
        x
    }

    /// The current basic solution in original units; `ymul` undoes the cost scaling.
    fn extract(&self, un: &Unscale, ymul: f64) -> LpSolution {
        let k = self.k;
        let x: Vec<f64> = self.primal().iter().zip(un.cmul).map(|(v, s)| v * s).collect();
        let objective = x.iter().zip(un.c).map(|(p, q)| p * q).sum();
        let duals = (0..self.m).map(|i| (self.cost[k + i] - self.d[k + i]) * un.rmul[i] * ymul).collect();
        let mut basis: Vec<usize> = self.basis.iter().copied().filter(|&j| j < k).collect();
        basis.sort_unstable();
        LpSolution { x, objective, duals, basis, pivots: self.pivots }
    }
}

/// `y += alpha x`.
fn axpy(y: &mut [f64], alpha: f64, x: &[f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic generator (64-bit LCG, top 53 bits).
    struct Lcg(u64);
    impl Lcg {
        fn unit(&mut self) -> f64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
        fn range(&mut self, lo: f64, hi: f64) -> f64 {
            lo + (hi - lo) * self.unit()
        }
    }

    fn optimal(out: LpOutcome) -> LpSolution {
        match out {
            LpOutcome::Optimal(s) => s,
            other => panic!("expected Optimal, got {other:?}"),
        }
    }

    /// Checks primal feasibility, dual feasibility and strong duality, relative to the size of
    /// the terms involved.
    fn check_kkt(a: &[f64], m: usize, k: usize, b: &[f64], c: &[f64], s: &LpSolution, tol: f64) {
        assert_eq!((s.x.len(), s.duals.len()), (k, m));
        assert!(s.basis.len() <= m && s.basis.windows(2).all(|p| p[0] < p[1]));
        for (j, &v) in s.x.iter().enumerate() {
            assert!(v >= 0.0, "x[{j}] = {v}");
            assert!(v == 0.0 || s.basis.contains(&j), "nonbasic x[{j}] = {v}");
        }
        for i in 0..m {
            let row = &a[i * k..(i + 1) * k];
            let ax: f64 = row.iter().zip(&s.x).map(|(p, q)| p * q).sum();
            let size = b[i].abs() + max_abs(row) * s.x.iter().sum::<f64>();
            assert!((ax - b[i]).abs() <= tol * size.max(f64::MIN_POSITIVE), "row {i}: {ax} vs {}", b[i]);
        }
        for j in 0..k {
            let aty: f64 = (0..m).map(|i| a[i * k + j] * s.duals[i]).sum();
            let size: f64 = c[j].abs() + (0..m).map(|i| (a[i * k + j] * s.duals[i]).abs()).sum::<f64>();
            assert!(c[j] - aty >= -tol * size, "reduced cost of {j}: {} (size {size})", c[j] - aty);
        }
        let cx: f64 = c.iter().zip(&s.x).map(|(p, q)| p * q).sum();
        let by: f64 = b.iter().zip(&s.duals).map(|(p, q)| p * q).sum();
        let size: f64 = c.iter().zip(&s.x).map(|(p, q)| (p * q).abs()).sum::<f64>()
            + b.iter().zip(&s.duals).map(|(p, q)| (p * q).abs()).sum::<f64>();
        assert!((cx - s.objective).abs() <= 1e-12 * size.max(1e-300));
        assert!((cx - by).abs() <= tol * size.max(1e-300), "c·x = {cx}, b·y = {by}");
    }

    fn close(x: f64, y: f64, tol: f64) -> bool {
        (x - y).abs() <= tol * (1.0 + y.abs())
    }

    #[test]
    fn wyndor_glass() {
        // max 3x + 5y s.t. x <= 4, 2y <= 12, 3x + 2y <= 18 (Hillier–Lieberman), slacks s1..s3.
        // By hand: 2y <= 12 gives y = 6, then 3x <= 18 - 12 gives x = 2; value -(6 + 30) = -36.
        // Duals (min form) solve y1 = 0 (s1 basic), 2 y2 + 2 y3 = -5, 3 y3 = -3:
        // y = (0, -3/2, -1), and b·y = -18 - 18 = -36.
        #[rustfmt::skip]
        let a = [1.0, 0.0, 1.0, 0.0, 0.0,
                 0.0, 2.0, 0.0, 1.0, 0.0,
                 3.0, 2.0, 0.0, 0.0, 1.0];
        let (b, c) = ([4.0, 12.0, 18.0], [-3.0, -5.0, 0.0, 0.0, 0.0]);
        let s = optimal(solve_standard_form(&a, 3, 5, &b, &c));
        check_kkt(&a, 3, 5, &b, &c, &s, 1e-12);
        assert!(close(s.objective, -36.0, 1e-12));
        assert!(close(s.x[0], 2.0, 1e-12) && close(s.x[1], 6.0, 1e-12) && close(s.x[2], 2.0, 1e-12));
        for (y, want) in s.duals.iter().zip([0.0, -1.5, -1.0]) {
            assert!(close(*y, want, 1e-12), "{:?}", s.duals);
        }
        assert_eq!(s.basis, vec![0, 1, 2]);
    }

    /// min x1 + x2 s.t. x1 + 2 x2 - s1 = 4, 3 x1 + x2 - s2 = 6 (a covering LP: needs phase one).
    /// By hand: the vertices are (0, 6) -> 6, (4, 0) -> 4 and the intersection x1 = 8/5,
    /// x2 = 6/5 -> 14/5. Duals: y1 + 3 y2 = 1, 2 y1 + y2 = 1 give y = (2/5, 1/5), b·y = 14/5.
    fn covering() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        (vec![1.0, 2.0, -1.0, 0.0, 3.0, 1.0, 0.0, -1.0], vec![4.0, 6.0], vec![1.0, 1.0, 0.0, 0.0])
    }

    #[test]
    fn covering_lp_needs_phase_one() {
        let (a, b, c) = covering();
        let s = optimal(solve_standard_form(&a, 2, 4, &b, &c));
        check_kkt(&a, 2, 4, &b, &c, &s, 1e-12);
        assert!(close(s.objective, 2.8, 1e-12));
        assert!(close(s.x[0], 1.6, 1e-12) && close(s.x[1], 1.2, 1e-12));
        assert!(close(s.duals[0], 0.4, 1e-12) && close(s.duals[1], 0.2, 1e-12));
    }

    #[test]
    fn duplicated_and_dependent_rows_are_redundant() {
        // The covering LP plus a copy of row 1 and the sum of rows 1 and 2 times -3 (negative b:
        // exercises the sign flip). Same optimum; two rows are redundant and dropped from the basis.
        let (mut a, mut b, c) = covering();
        a.extend_from_slice(&[1.0, 2.0, -1.0, 0.0]);
        let combo: Vec<f64> = (0..4).map(|j| -3.0 * (a[j] + a[4 + j])).collect();
        a.extend(combo);
        b.extend_from_slice(&[4.0, -30.0]);
        let s = optimal(solve_standard_form(&a, 4, 4, &b, &c));
        check_kkt(&a, 4, 4, &b, &c, &s, 1e-12);
        assert!(close(s.objective, 2.8, 1e-12));
        assert_eq!(s.basis, vec![0, 1]);
        // A homogeneous duplicated system: x1 - x2 = 0 twice, x1 + x2 = 2.
        let a = [1.0, -1.0, 1.0, -1.0, 1.0, 1.0];
        let s = optimal(solve_standard_form(&a, 3, 2, &[0.0, 0.0, 2.0], &[1.0, 2.0]));
        check_kkt(&a, 3, 2, &[0.0, 0.0, 2.0], &[1.0, 2.0], &s, 1e-12);
        assert!(close(s.objective, 3.0, 1e-12) && s.basis.len() == 2);
    }

    #[test]
    fn badly_scaled_row() {
        // Row 1 of the covering LP times 1e8 (and row 2 times 1e-7): the optimum is unchanged,
        // the duals of the scaled rows scale by the inverse factors.
        let (mut a, mut b, c) = covering();
        a[..4].iter_mut().for_each(|v| *v *= 1e8);
        a[4..].iter_mut().for_each(|v| *v *= 1e-7);
        b[0] *= 1e8;
        b[1] *= 1e-7;
        let s = optimal(solve_standard_form(&a, 2, 4, &b, &c));
        check_kkt(&a, 2, 4, &b, &c, &s, 1e-12);
        assert!(close(s.objective, 2.8, 1e-12));
        assert!(close(s.duals[0], 0.4e-8, 1e-12) && close(s.duals[1], 0.2e7, 1e-12));
        // Badly scaled columns too: column 0 times 1e-6 (so x0 grows by 1e6).
        let mut a2 = a.clone();
        a2[0] *= 1e-6;
        a2[4] *= 1e-6;
        let c2 = [1e-6, 1.0, 0.0, 0.0];
        let s2 = optimal(solve_standard_form(&a2, 2, 4, &b, &c2));
        check_kkt(&a2, 2, 4, &b, &c2, &s2, 1e-12);
        assert!(close(s2.objective, 2.8, 1e-12) && close(s2.x[0], 1.6e6, 1e-12));
    }

    #[test]
    fn infeasible_gives_closest_point_and_farkas_certificate() {
        // x1 + x2 = 1 and x1 + x2 = 3: for t = x1 + x2 the residual |t - 1| + |3 - t| >= 2,
        // with equality on [1, 3]. Both rows have max entry 1, so the scaled measure is 2.
        let a = [1.0, 1.0, 1.0, 1.0];
        let b = [1.0, 3.0];
        match solve_standard_form(&a, 2, 2, &b, &[1.0, 0.0]) {
            LpOutcome::Infeasible { closest, infeasibility } => {
                assert!(close(infeasibility, 2.0, 1e-12));
                let t = closest.x[0] + closest.x[1];
                assert!((1.0 - 1e-12..=3.0 + 1e-12).contains(&t));
                let y = &closest.duals;
                assert!(y[0] + y[1] <= 1e-12, "A^T y <= 0: {y:?}");
                assert!(close(b[0] * y[0] + b[1] * y[1], 2.0, 1e-12));
            }
            other => panic!("expected Infeasible, got {other:?}"),
        }
        // -x1 - x2 = 1 (negative row, needs the sign flip); residual of x = 0 is 1.
        match solve_standard_form(&[-1.0, -1.0], 1, 2, &[1.0], &[0.0, 0.0]) {
            LpOutcome::Infeasible { closest, infeasibility } => {
                assert!(close(infeasibility, 1.0, 1e-12) && closest.x == vec![0.0, 0.0]);
            }
            other => panic!("expected Infeasible, got {other:?}"),
        }
        // Rows scaled by 4 and 8: the measure divides each row by 2^e <= max |a_ij|.
        match solve_standard_form(&[4.0, 4.0, 8.0, 8.0], 2, 2, &[4.0, 24.0], &[0.0, 0.0]) {
            LpOutcome::Infeasible { infeasibility, .. } => assert!(close(infeasibility, 2.0, 1e-12)),
            other => panic!("expected Infeasible, got {other:?}"),
        }
    }

    #[test]
    fn unbounded() {
        // min -x1 s.t. x1 - x2 = 1: x = (1 + t, t) is feasible for all t >= 0.
        assert!(matches!(solve_standard_form(&[1.0, -1.0], 1, 2, &[1.0], &[-1.0, 0.0]), LpOutcome::Unbounded));
        // No rows: unbounded iff some cost is negative.
        assert!(matches!(solve_standard_form(&[], 0, 2, &[], &[1.0, -1.0]), LpOutcome::Unbounded));
        // A bounded objective on an unbounded set is fine: min x1 + x2 s.t. x1 - x2 = 1 -> 1.
        let s = optimal(solve_standard_form(&[1.0, -1.0], 1, 2, &[1.0], &[1.0, 1.0]));
        assert!(close(s.objective, 1.0, 1e-14));
    }

    /// Beale's example, which cycles under Dantzig's rule from the slack basis:
    /// min -3/4 x4 + 150 x5 - 1/50 x6 + 6 x7 s.t.
    ///   x1 + 1/4 x4 - 60 x5 - 1/25 x6 + 9 x7 = 0
    ///   x2 + 1/2 x4 - 90 x5 - 1/50 x6 + 3 x7 = 0
    ///   x3 + x6 = 1.
    /// By hand: x6 = 1, x5 = x7 = 0; row 2 with x2 = 0 gives x4 = 1/25, row 1 gives x1 = 3/100;
    /// objective -3/100 - 2/100 = -1/20 (optimal: duals y = (0, -3/2, -1/20) give reduced costs
    /// (0, 3/2, 1/20, 0, 15, 0, 21/2) >= 0).
    fn beale() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        #[rustfmt::skip]
        let a = vec![1.0, 0.0, 0.0, 0.25, -60.0, -0.04, 9.0,
                     0.0, 1.0, 0.0, 0.5, -90.0, -0.02, 3.0,
                     0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0];
        (a, vec![0.0, 0.0, 1.0], vec![0.0, 0.0, 0.0, -0.75, 150.0, -0.02, 6.0])
    }

    #[test]
    fn beale_cycling_example() {
        let (a, b, c) = beale();
        for bland_after in [DEGENERATE_RUN, 0, 1] {
            let s = optimal(solve_with(&a, 3, 7, &b, &c, bland_after));
            check_kkt(&a, 3, 7, &b, &c, &s, 1e-12);
            assert!(close(s.objective, -0.05, 1e-12), "{}", s.objective);
            assert!(close(s.x[3], 0.04, 1e-12) && close(s.x[5], 1.0, 1e-12) && close(s.x[0], 0.03, 1e-12));
            assert!(close(s.duals[1], -1.5, 1e-12) && close(s.duals[2], -0.05, 1e-12));
        }
    }

    /// Beale's tableau with the slack basis (x1, x2, x3) and phase-two costs, bypassing phase one.
    fn beale_at_slack_basis(bland_after: usize) -> Tableau {
        let (a, b, c) = beale();
        let mut tab = Tableau::new(&a, &b, 3, 7, bland_after);
        for r in 0..3 {
            tab.pivot(r, r);
        }
        tab.phase_two = true;
        let mut cost = c;
        cost.resize(10, 0.0);
        tab.set_costs(cost);
        tab
    }

    #[test]
    fn beale_cycles_under_naive_dantzig_but_not_here() {
        // The textbook rule (most negative reduced cost, min-ratio ties to the first row) from the
        // slack basis returns to it after 6 degenerate pivots: the example really cycles.
        let mut naive = beale_at_slack_basis(usize::MAX);
        let start = naive.basis.clone();
        for _ in 0..6 {
            let q = naive.entering(false).expect("not optimal yet");
            let col = |r: usize| naive.t[r * naive.w + q];
            let p = (0..3)
                .filter(|&r| col(r) > 1e-12)
                .min_by(|&r, &s| (naive.rhs(r) / col(r)).total_cmp(&(naive.rhs(s) / col(s))))
                .unwrap();
            naive.pivot(p, q);
        }
        assert_eq!(naive.basis, start, "naive Dantzig cycles on Beale's example");
        // Ours, from the same basis: default rule, and Bland's rule throughout.
        for bland_after in [DEGENERATE_RUN, 0] {
            let mut tab = beale_at_slack_basis(bland_after);
            assert_eq!(tab.optimize(), Status::Optimal);
            let x = tab.primal();
            assert!(close(x[3] * -0.75 + x[5] * -0.02, -0.05, 1e-12), "{x:?}");
            assert!(tab.pivots < 20, "{} pivots", tab.pivots);
        }
    }

    #[test]
    fn degenerate_problem_with_many_ties() {
        // Assignment-like LP (3 × 3 doubly stochastic matrices), highly degenerate, with a
        // redundant row (row sums and column sums both add up to 3). The minimum of
        // sum c_ij x_ij over permutation matrices: c = [[4,1,3],[2,0,5],[3,2,2]] -> 1 + 2 + 2 = 5
        // (x01, x10, x22), checked by listing the 6 permutations: 4+0+2=6, 4+5+2=11, 1+2+2=5,
        // 1+5+3=9, 3+2+2=7, 3+0+3=6.
        let cost = [4.0, 1.0, 3.0, 2.0, 0.0, 5.0, 3.0, 2.0, 2.0];
        let mut a = vec![0.0; 6 * 9];
        for i in 0..3 {
            for j in 0..3 {
                a[i * 9 + i * 3 + j] = 1.0;
                a[(3 + j) * 9 + i * 3 + j] = 1.0;
            }
        }
        let b = [1.0; 6];
        for bland_after in [DEGENERATE_RUN, 0] {
            let s = optimal(solve_with(&a, 6, 9, &b, &cost, bland_after));
            check_kkt(&a, 6, 9, &b, &cost, &s, 1e-12);
            assert!(close(s.objective, 5.0, 1e-12));
            assert!(s.basis.len() == 5);
        }
    }

    /// Random feasible, bounded problem: b = A x0 with x0 >= 0 (half its entries zero, so
    /// degenerate), c = A^T y0 + r with r >= 0 (dual feasible, hence bounded); rows scaled by
    /// 10^[-scale, scale].
    fn random_problem(g: &mut Lcg, m: usize, k: usize, scale: f64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut a: Vec<f64> = (0..m * k).map(|_| g.range(-1.0, 1.0)).collect();
        for i in 0..m {
            let s = 10f64.powf(g.range(-scale, scale));
            a[i * k..(i + 1) * k].iter_mut().for_each(|v| *v *= s);
        }
        let x0: Vec<f64> = (0..k).map(|_| if g.unit() < 0.5 { 0.0 } else { g.unit() }).collect();
        let b = (0..m).map(|i| (0..k).map(|j| a[i * k + j] * x0[j]).sum()).collect();
        let y0: Vec<f64> = (0..m).map(|i| g.range(-1.0, 1.0) / a[i * k..(i + 1) * k].iter().fold(0.0, |s: f64, v| s.max(v.abs()))).collect();
        let c = (0..k)
            .map(|j| (0..m).map(|i| a[i * k + j] * y0[i]).sum::<f64>() + if g.unit() < 0.3 { 0.0 } else { g.unit() })
            .collect();
        (a, b, c)
    }

    #[test]
    fn random_feasible_problems_satisfy_strong_duality() {
        let mut g = Lcg(7);
        for trial in 0..200 {
            let m = 1 + trial % 12;
            let k = m + (trial * 7) % 25;
            let scale = if trial % 3 == 0 { 6.0 } else { 0.0 };
            let (a, b, c) = random_problem(&mut g, m, k, scale);
            let s = optimal(solve_standard_form(&a, m, k, &b, &c));
            check_kkt(&a, m, k, &b, &c, &s, 1e-9);
            let s2 = optimal(solve_with(&a, m, k, &b, &c, 0));
            check_kkt(&a, m, k, &b, &c, &s2, 1e-9);
            assert!(close(s.objective, s2.objective, 1e-9), "Dantzig {} vs Bland {}", s.objective, s2.objective);
        }
    }

    #[test]
    fn medium_problem_with_direction_rows() {
        // The shape of the intended use: n interpolation rows with entries spanning 1e-6..1e6,
        // plus one "shares of a direction sum to 1" row per direction.
        let mut g = Lcg(11);
        let (n, dirs, per) = (30, 20, 10);
        let (m, k) = (n + dirs, dirs * per);
        let mut a = vec![0.0; m * k];
        for i in 0..n {
            for j in 0..k {
                a[i * k + j] = g.range(-1.0, 1.0) * 10f64.powf(g.range(-6.0, 6.0));
            }
        }
        for d in 0..dirs {
            a[(n + d) * k + d * per..(n + d) * k + (d + 1) * per].fill(1.0);
        }
        let mut x0 = vec![0.0; k];
        for d in 0..dirs {
            x0[d * per + d % per] = 1.0;
        }
        let b: Vec<f64> = (0..m).map(|i| (0..k).map(|j| a[i * k + j] * x0[j]).sum()).collect();
        let c: Vec<f64> = (0..k).map(|_| g.unit()).collect();
        let s = optimal(solve_standard_form(&a, m, k, &b, &c));
        check_kkt(&a, m, k, &b, &c, &s, 1e-9);
        assert!(s.objective <= c.iter().zip(&x0).map(|(p, q)| p * q).sum::<f64>() * (1.0 + 1e-12));
    }

    #[test]
    fn edge_cases() {
        // No rows, nonnegative costs: x = 0.
        let s = optimal(solve_standard_form(&[], 0, 3, &[], &[1.0, 0.0, 2.0]));
        assert_eq!((s.x, s.objective, s.basis.len()), (vec![0.0; 3], 0.0, 0));
        // No columns: feasible iff b = 0.
        let s = optimal(solve_standard_form(&[], 2, 0, &[0.0, 0.0], &[]));
        assert_eq!((s.x.len(), s.duals, s.basis.len()), (0, vec![0.0, 0.0], 0));
        assert!(matches!(solve_standard_form(&[], 1, 0, &[1.0], &[]), LpOutcome::Infeasible { .. }));
        // A zero row with zero right-hand side is redundant; with nonzero one, infeasible.
        let s = optimal(solve_standard_form(&[0.0, 0.0, 1.0, 1.0], 2, 2, &[0.0, 1.0], &[2.0, 1.0]));
        assert!(close(s.objective, 1.0, 1e-14) && s.basis == vec![1]);
        assert!(matches!(solve_standard_form(&[0.0, 0.0, 1.0, 1.0], 2, 2, &[1.0, 1.0], &[2.0, 1.0]),
            LpOutcome::Infeasible { .. }));
        // Bad input is reported, not a panic.
        assert!(matches!(solve_standard_form(&[1.0], 1, 2, &[1.0], &[1.0, 1.0]), LpOutcome::InvalidInput(_)));
        assert!(matches!(solve_standard_form(&[f64::NAN], 1, 1, &[1.0], &[1.0]), LpOutcome::InvalidInput(_)));
        // Extreme but finite magnitudes do not panic.
        let big = [1e300, -1e-300, 5e-324, 1e300];
        let _ = solve_standard_form(&big, 2, 2, &[1e300, 1e-300], &[1e300, -1e300]);
    }
}
