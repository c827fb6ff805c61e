//! The share LP of the recovery ([`crate::solver::recovery`]) with its structure exploited:
//!
//! `minimize Σ_j c_j s_j  s.t.  Σ_j a_j s_j = r (n coupling rows),  Σ_{j∈J_g} s_j = 1 for each
//! group g,  s ≥ 0`,
//!
//! where every column belongs to exactly one group (a source and its candidate pieces). The
//! convexity rows are generalized upper bounds: a primal simplex keeps one basic *key* column
//! per group, eliminated through `s_key = 1 − Σ_{other basic j ∈ g} s_j`, and works with an
//! `n × n` basis of the columns `a_j − a_key(g(j))` (and of signed artificials `±e_i` of the
//! coupling rows) instead of the `(n + G) × (n + G)` basis of the dense solver
//! ([`crate::numeric::lp`]), which stays for the other LPs and as this one's fallback.
//!
//! # Method
//! * **Scaling**: each coupling row by the power of two of its largest entry (exact).
//! * **Start**: keys as given (the source's best piece, or the previous call's key), every
//!   coupling row on an artificial signed like its right-hand side. Phase one minimizes the sum
//!   of the artificials; an artificial that left never re-enters; those still basic after phase
//!   one are pinned at their value (they leave on any nonzero entry of the entering column).
//! * **Iteration**: the working basis is factorized afresh (LU with partial pivoting, `O(n³)`)
//!   at every pivot — no update to drift — then primal values, duals, Dantzig pricing over the
//!   nonbasic columns relative to the size of each reduced cost's terms, and a ratio test over
//!   the working slots and the keys (a key's rate is the sum of its group's entries of the
//!   transformed column). A key that blocks is replaced by a basic column of its group (or by
//!   the entering column when that is its group). After a run of degenerate pivots, Bland's
//!   rule (smallest column index) until progress.
//! * **Polish**: the final basis system (`n × n`) is solved once more with one step of
//!   iterative refinement (residual in the original sum), so the coupling rows hold to
//!   round-off.
//!
//! Deterministic: no randomness, fixed tie-breaking, no hashing, no threads.

/// Entries of the transformed column with `|w| <= PIVOT_TOL · max(1, max |w|)` are not pivots.
const PIVOT_TOL: f64 = 1e-9;
/// A column enters if its reduced cost is below `-DUAL_TOL` times the size of its terms.
const DUAL_TOL: f64 = 1e-10;
/// Phase one is feasible when its sum of artificials is at most this times `1 + |r̃|_∞`. With
/// nearly tied pieces rounding can leave ~1e-11 (then `Infeasible` with that point); a looser
/// tolerance costs certificates (measured: docs/SOLVER.md, "Measured choices").
const FEAS_TOL: f64 = 1e-11;
/// Primal values within this (times `1 + |r̃|_∞` for the slots, absolute for keys) of zero
/// are treated as zero by the ratio test.
const PRIMAL_TOL: f64 = 1e-12;
/// Consecutive degenerate pivots after which Bland's rule takes over.
const DEGENERATE_RUN: usize = 10;

/// The LP's data: `groups[g]` is the range of columns of group g (consecutive, covering
/// `0..k`), `a` is column-major `n × k` (`a[j*n + i]`), `c` the costs, `r` the right-hand side.
pub struct ShareLp<'a> {
    /// Coupling rows.
    pub n: usize,
    /// Column ranges of the groups.
    pub groups: &'a [std::ops::Range<usize>],
    /// Column-major coupling entries.
    pub a: &'a [f64],
    /// Costs.
    pub c: &'a [f64],
    /// Right-hand side of the coupling rows.
    pub r: &'a [f64],
}

/// A basis of the share LP: one key column per group and the structural columns of the
/// working basis (at most n, the other slots being artificials).
#[derive(Debug, Clone, PartialEq)]
pub struct GubBasis {
    /// `keys[g]`: the key column of group g.
    pub keys: Vec<usize>,
    /// The other basic columns.
    pub others: Vec<usize>,
}

/// How the solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareStatus {
    /// An optimal basic solution.
    Optimal,
    /// Phase one ended with artificials above tolerance: `x` is its least-infeasible point.
    Infeasible,
    /// The pivot cap was reached or a basis turned singular: the caller should fall back.
    Failed,
}

/// Result of [`solve`].
#[derive(Debug, Clone)]
pub struct ShareSolution {
    /// How the solve ended.
    pub status: ShareStatus,
    /// Shares, length k, all >= 0, each group summing to one.
    pub x: Vec<f64>,
    /// The final basis.
    pub basis: GubBasis,
    /// Pivots performed.
    pub pivots: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Column(usize),
    Artificial(usize, f64),
}

/// Dense LU with partial pivoting of a column-major n × n matrix; `None` if singular.
struct Lu {
    n: usize,
    lu: Vec<f64>,
    perm: Vec<usize>,
}

impl Lu {
    /// `m` row-major n × n.
    fn new(mut lu: Vec<f64>, n: usize) -> Option<Lu> {
        let mut perm: Vec<usize> = (0..n).collect();
        let scale = lu.iter().fold(0.0f64, |s, v| s.max(v.abs())).max(f64::MIN_POSITIVE);
        for k in 0..n {
            let mut p = k;
            let mut best = lu[k * n + k].abs();
            for i in k + 1..n {
                let v = lu[i * n + k].abs();
                if v > best {
                    best = v;
                    p = i;
                }
            }
            if !(best > 1e-13 * scale) {
                return None;
            }
            if p != k {
                for j in 0..n {
                    lu.swap(k * n + j, p * n + j);
                }
                perm.swap(k, p);
            }
            let piv = lu[k * n + k];
            for i in k + 1..n {
                let f = lu[i * n + k] / piv;
                lu[i * n + k] = f;
                if f != 0.0 {
                    for j in k + 1..n {
                        lu[i * n + j] -= f * lu[k * n + j];
                    }
                }
            }
        }
        Some(Lu { n, lu, perm })
    }

    /// Solves `M x = b`.
    fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut x: Vec<f64> = self.perm.iter().map(|&p| b[p]).collect();
        for i in 0..n {
            let mut s = x[i];
            for j in 0..i {
                s -= self.lu[i * n + j] * x[j];
            }
            x[i] = s;
        }
        for i in (0..n).rev() {
            let mut s = x[i];
            for j in i + 1..n {
                s -= self.lu[i * n + j] * x[j];
            }
            x[i] = s / self.lu[i * n + i];
        }
        x
    }

    /// Solves `Mᵀ y = b`.
    fn solve_transposed(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        // Mᵀ = Uᵀ Lᵀ P: Uᵀ z = b, Lᵀ w = z, y = Pᵀ w.
        let mut z = b.to_vec();
        for i in 0..n {
            let mut s = z[i];
            for j in 0..i {
                s -= self.lu[j * n + i] * z[j];
            }
            z[i] = s / self.lu[i * n + i];
        }
        for i in (0..n).rev() {
            let mut s = z[i];
            for j in i + 1..n {
                s -= self.lu[j * n + i] * z[j];
            }
            z[i] = s;
        }
        let mut y = vec![0.0; n];
        for (i, &p) in self.perm.iter().enumerate() {
            y[p] = z[i];
        }
        y
    }
}

struct State<'a> {
    lp: &'a ShareLp<'a>,
    /// Row scales (powers of two): row i of the scaled problem is `scale[i] · row i`.
    scale: Vec<f64>,
    group_of: Vec<usize>,
    keys: Vec<usize>,
    slots: Vec<Slot>,
    basic: Vec<bool>,
    rnorm: f64,
}

impl State<'_> {
    fn col(&self, j: usize, i: usize) -> f64 {
        self.lp.a[j * self.lp.n + i] * self.scale[i]
    }

    /// Working column of slot s (row-major fill into `m` at column `s`).
    fn working_basis(&self) -> Vec<f64> {
        let n = self.lp.n;
        let mut m = vec![0.0; n * n];
        for (s, slot) in self.slots.iter().enumerate() {
            match *slot {
                Slot::Column(j) => {
                    let key = self.keys[self.group_of[j]];
                    for i in 0..n {
                        m[i * n + s] = self.col(j, i) - self.col(key, i);
                    }
                }
                Slot::Artificial(i, sign) => m[i * n + s] = sign,
            }
        }
        m
    }

    /// `r̃ = r − Σ_g a_key(g)` (scaled).
    fn reduced_rhs(&self) -> Vec<f64> {
        let n = self.lp.n;
        let mut v: Vec<f64> = (0..n).map(|i| self.lp.r[i] * self.scale[i]).collect();
        for &key in &self.keys {
            for i in 0..n {
                v[i] -= self.col(key, i);
            }
        }
        v
    }

    /// Key values from the slot values.
    fn key_values(&self, xs: &[f64]) -> Vec<f64> {
        let mut kv = vec![1.0; self.keys.len()];
        for (s, slot) in self.slots.iter().enumerate() {
            if let Slot::Column(j) = *slot {
                kv[self.group_of[j]] -= xs[s];
            }
        }
        kv
    }

    fn shares(&self, xs: &[f64]) -> Vec<f64> {
        let k = self.lp.c.len();
        let mut x = vec![0.0; k];
        let kv = self.key_values(xs);
        for (g, &key) in self.keys.iter().enumerate() {
            x[key] = kv[g].max(0.0);
        }
        for (s, slot) in self.slots.iter().enumerate() {
            if let Slot::Column(j) = *slot {
                x[j] = xs[s].max(0.0);
            }
        }
        x
    }

    /// Slot values with one step of iterative refinement.
    fn slot_values(&self, lu: &Lu, w: &[f64]) -> Vec<f64> {
        let n = self.lp.n;
        let rhs = self.reduced_rhs();
        let mut xs = lu.solve(&rhs);
        let mut res = rhs.clone();
        for (s, &v) in xs.iter().enumerate() {
            if v != 0.0 {
                for i in 0..n {
                    res[i] -= w[i * n + s] * v;
                }
            }
        }
        let d = lu.solve(&res);
        xs.iter_mut().zip(&d).for_each(|(x, d)| *x += d);
        xs
    }
}

/// Minimizes the share LP from `start` keys (one column per group; `None`: each group's
/// first column), optionally with `warm` structural columns tried as the initial working
/// basis (used only if that basis is primal feasible). A two-phase revised simplex on the
/// working basis: [`State::start`], then rounds of pricing ([`price`]), the ratio test
/// ([`ratio_test`]) and the basis change ([`State::pivot`]).
pub fn solve(lp: &ShareLp, start: Option<&GubBasis>) -> ShareSolution {
    let n = lp.n;
    let ng = lp.groups.len();
    let mut st = State::start(lp, start);
    // A cold solve needs about n + (groups) pivots; beyond a few times that, or after a long
    // run without progress (rounding-level reduced costs between nearly equal pieces can
    // cycle even under Bland's rule), the dense solver is the better bet.
    let cap = 4 * (n + ng) + 100;
    let mut pivots = 0;
    let mut phase_one = true;
    let mut degenerate = 0;
    let mut last_objective = f64::INFINITY;
    loop {
        let w = st.working_basis();
        let Some(lu) = Lu::new(w.clone(), n) else {
            return failed(&st, pivots);
        };
        let xs = st.slot_values(&lu, &w);
        let art_sum: f64 =
            st.slots.iter().zip(&xs).filter(|(s, _)| matches!(s, Slot::Artificial(..))).map(|(_, v)| v.max(0.0)).sum();
        if phase_one && art_sum <= FEAS_TOL * (1.0 + st.rnorm) {
            phase_one = false;
            last_objective = f64::INFINITY;
            degenerate = 0;
        }
        let bland = degenerate >= DEGENERATE_RUN;
        let Some(q) = price(&st, &lu, phase_one, bland) else {
            let status = if phase_one { ShareStatus::Infeasible } else { ShareStatus::Optimal };
            return ShareSolution { status, x: st.shares(&xs), basis: basis_of(&st), pivots };
        };
        if pivots >= cap || degenerate > 4 * DEGENERATE_RUN + n {
            return failed(&st, pivots);
        }
        let Some(leave) = ratio_test(&st, &lu, &xs, q, phase_one, bland) else {
            // Unbounded is impossible (shares are bounded): rounding; give up on this LP.
            return failed(&st, pivots);
        };
        pivots += 1;
        // Progress is judged on the objective itself: a step of a real length along a reduced
        // cost at rounding level makes none either (measured: 2-cycles at a constant phase-one sum).
        let objective = if phase_one { art_sum } else { st.shares(&xs).iter().zip(lp.c).map(|(x, c)| x * c).sum() };
        if objective >= last_objective - 1e-10 * objective.abs() {
            degenerate += 1;
        } else {
            degenerate = 0;
            last_objective = objective;
        }
        st.pivot(q, leave);
    }
}

/// Which variable leaves the basis: the working slot `s`, or the key of group `h`.
#[derive(Clone, Copy)]
enum Leave {
    Slot(usize),
    Key(usize),
}

/// The entering column: the most negative reduced cost relative to the size of its terms
/// (under Bland's rule, the first one below `-DUAL_TOL`); `None` at the phase's optimum.
/// Working costs: phase one, 1 on artificials; phase two, `c_j − c_key`.
fn price(st: &State, lu: &Lu, phase_one: bool, bland: bool) -> Option<usize> {
    let (lp, n, k) = (st.lp, st.lp.n, st.lp.c.len());
    let cost = |j: usize| if phase_one { 0.0 } else { lp.c[j] };
    let cw: Vec<f64> = st
        .slots
        .iter()
        .map(|s| match *s {
            Slot::Column(j) => cost(j) - cost(st.keys[st.group_of[j]]),
            Slot::Artificial(..) => {
                if phase_one {
                    1.0
                } else {
                    0.0
                }
            }
        })
        .collect();
    let pi = lu.solve_transposed(&cw);
    let mut enter: Option<(usize, f64)> = None;
    for j in 0..k {
        if st.basic[j] {
            continue;
        }
        let key = st.keys[st.group_of[j]];
        let (mut dot, mut size) = (0.0, cost(j).abs() + cost(key).abs());
        for i in 0..n {
            let (aj, ak) = (st.col(j, i), st.col(key, i));
            dot += pi[i] * (aj - ak);
            size += pi[i].abs() * (aj.abs() + ak.abs());
        }
        let d = cost(j) - cost(key) - dot;
        if d < -DUAL_TOL * size.max(f64::MIN_POSITIVE) {
            let score = d / size.max(f64::MIN_POSITIVE);
            match enter {
                None => enter = Some((j, score)),
                Some((_, s)) if !bland && score < s => enter = Some((j, score)),
                _ => {}
            }
        }
    }
    enter.map(|(q, _)| q)
}

/// The ratio test for entering column `q`: the slot or key that first reaches zero as `q`
/// grows; among ties the largest pivot (Bland: the variable of smallest index, columns before
/// artificials). Artificials may leave in either direction in phase two.
fn ratio_test(st: &State, lu: &Lu, xs: &[f64], q: usize, phase_one: bool, bland: bool) -> Option<Leave> {
    let (n, k, ng) = (st.lp.n, st.lp.c.len(), st.lp.groups.len());
    let gq = st.group_of[q];
    let dq: Vec<f64> = (0..n).map(|i| st.col(q, i) - st.col(st.keys[gq], i)).collect();
    let wq = lu.solve(&dq);
    let wmax = wq.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let ptol = PIVOT_TOL * wmax;
    // Key rates: d s_key(h)/dθ.
    let mut rate = vec![0.0; ng];
    rate[gq] = -1.0;
    for (s, slot) in st.slots.iter().enumerate() {
        if let Slot::Column(j) = *slot {
            rate[st.group_of[j]] += wq[s];
        }
    }
    let kv = st.key_values(xs);
    let tol = PRIMAL_TOL * (1.0 + st.rnorm);
    // (ratio, |pivot|, leaving).
    let mut best: Option<(f64, f64, Leave)> = None;
    let index = |leave: Leave| -> usize {
        match leave {
            Leave::Key(h) => st.keys[h],
            Leave::Slot(s) => match st.slots[s] {
                Slot::Column(j) => j,
                Slot::Artificial(i, _) => k + i,
            },
        }
    };
    let consider = |ratio: f64, piv: f64, leave: Leave, best: &mut Option<(f64, f64, Leave)>| {
        let ratio = ratio.max(0.0);
        match best {
            None => *best = Some((ratio, piv, leave)),
            Some((r, p, l)) => {
                let slack = 1e-12 * (1.0 + r.abs());
                let tie_wins = if bland { index(leave) < index(*l) } else { piv > *p };
                if ratio < *r - slack || (ratio <= *r + slack && tie_wins) {
                    *best = Some((ratio, piv, leave));
                }
            }
        }
    };
    for (s, slot) in st.slots.iter().enumerate() {
        let v = wq[s];
        match *slot {
            Slot::Artificial(..) if !phase_one => {
                if v.abs() > ptol {
                    let val = if xs[s] <= tol { 0.0 } else { xs[s] };
                    consider(val / v.abs(), v.abs(), Leave::Slot(s), &mut best);
                }
            }
            _ => {
                if v > ptol {
                    let val = if xs[s] <= tol { 0.0 } else { xs[s] };
                    consider(val / v, v, Leave::Slot(s), &mut best);
                }
            }
        }
    }
    for h in 0..ng {
        if rate[h] < -ptol {
            let val = if kv[h] <= PRIMAL_TOL { 0.0 } else { kv[h] };
            consider(val / -rate[h], -rate[h], Leave::Key(h), &mut best);
        }
    }
    best.map(|(_, _, leave)| leave)
}

impl<'a> State<'a> {
    /// The starting basis: the `start` keys where they belong to their group (else each
    /// group's first column), artificials on every row with the sign of the reduced right-hand
    /// side; then, if `start` has structural columns, those with artificials on the rows they
    /// leave uncovered — kept only if that basis is nonsingular and primal feasible.
    fn start(lp: &'a ShareLp, start: Option<&GubBasis>) -> State<'a> {
        let (n, k, ng) = (lp.n, lp.c.len(), lp.groups.len());
        let mut group_of = vec![0; k];
        for (g, r) in lp.groups.iter().enumerate() {
            for j in r.clone() {
                group_of[j] = g;
            }
        }
        let scale: Vec<f64> = (0..n)
            .map(|i| {
                let m = (0..k).fold(0.0f64, |m, j| m.max(lp.a[j * n + i].abs()));
                crate::numeric::lp::pow2_recip(m)
            })
            .collect();
        let mut keys: Vec<usize> = lp.groups.iter().map(|r| r.start).collect();
        if let Some(b) = start {
            if b.keys.len() == ng {
                for g in 0..ng {
                    if lp.groups[g].contains(&b.keys[g]) {
                        keys[g] = b.keys[g];
                    }
                }
            }
        }
        let mut st = State { lp, scale, group_of, keys, slots: Vec::new(), basic: vec![false; k], rnorm: 0.0 };
        let rt = st.reduced_rhs();
        st.rnorm = rt.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        st.slots = (0..n).map(|i| Slot::Artificial(i, if rt[i] < 0.0 { -1.0 } else { 1.0 })).collect();
        if let Some(b) = start {
            st.warm_start(b);
        }
        for &key in &st.keys {
            st.basic[key] = true;
        }
        for slot in &st.slots {
            if let Slot::Column(j) = *slot {
                st.basic[j] = true;
            }
        }
        st
    }

    /// Warm start: the previous structural columns of `b`, with artificials on the rows they
    /// leave uncovered, if that basis is nonsingular and primal feasible (artificials then take
    /// the sign of their values).
    fn warm_start(&mut self, b: &GubBasis) {
        let (n, k) = (self.lp.n, self.lp.c.len());
        let others: Vec<usize> = b.others.iter().copied().filter(|&j| j < k && self.keys[self.group_of[j]] != j).collect();
        if others.is_empty() || others.len() > n {
            return;
        }
        let Some(slots) = warm_slots(self, &others) else { return };
        let saved = std::mem::replace(&mut self.slots, slots);
        let w = self.working_basis();
        let ok = Lu::new(w.clone(), n).is_some_and(|lu| {
            let xs = self.slot_values(&lu, &w);
            let tol = PRIMAL_TOL * (1.0 + self.rnorm);
            xs.iter().zip(&self.slots).all(|(v, s)| matches!(s, Slot::Artificial(..)) || *v >= -tol)
                && self.key_values(&xs).iter().all(|v| *v >= -PRIMAL_TOL)
        });
        if !ok {
            self.slots = saved;
            return;
        }
        let lu = Lu::new(w.clone(), n).unwrap();
        let xs = self.slot_values(&lu, &w);
        for (s, slot) in self.slots.iter_mut().enumerate() {
            if let Slot::Artificial(i, sign) = *slot {
                if xs[s] < 0.0 {
                    *slot = Slot::Artificial(i, -sign);
                }
            }
        }
    }

    /// Column `q` enters, `leave` leaves. When a group's key leaves, the entering column becomes
    /// the key if it is of that group; otherwise a basic column of that group becomes its key
    /// and its working slot takes `q`.
    fn pivot(&mut self, q: usize, leave: Leave) {
        let gq = self.group_of[q];
        self.basic[q] = true;
        match leave {
            Leave::Slot(s) => {
                if let Slot::Column(j) = self.slots[s] {
                    self.basic[j] = false;
                }
                self.slots[s] = Slot::Column(q);
            }
            Leave::Key(h) => {
                let old = self.keys[h];
                self.basic[old] = false;
                if h == gq {
                    self.keys[h] = q;
                } else {
                    let s = self
                        .slots
                        .iter()
                        .position(|s| matches!(*s, Slot::Column(j) if self.group_of[j] == h))
                        .expect("a key with a nonzero rate has a basic column in its group");
                    if let Slot::Column(j) = self.slots[s] {
                        self.keys[h] = j;
                    }
                    self.slots[s] = Slot::Column(q);
                }
            }
        }
    }
}

fn basis_of(st: &State) -> GubBasis {
    GubBasis {
        keys: st.keys.clone(),
        others: st.slots.iter().filter_map(|s| if let Slot::Column(j) = *s { Some(j) } else { None }).collect(),
    }
}

fn failed(st: &State, pivots: usize) -> ShareSolution {
    ShareSolution { status: ShareStatus::Failed, x: vec![0.0; st.lp.c.len()], basis: basis_of(st), pivots }
}

/// Slots for a warm start: the columns `others` (each nonkey), then artificials on the rows
/// that a row-pivoted elimination of those columns leaves uncovered. `None` if the columns are
/// (numerically) dependent.
fn warm_slots(st: &State, others: &[usize]) -> Option<Vec<Slot>> {
    let n = st.lp.n;
    let mut cols: Vec<Vec<f64>> = others
        .iter()
        .map(|&j| {
            let key = st.keys[st.group_of[j]];
            (0..n).map(|i| st.col(j, i) - st.col(key, i)).collect()
        })
        .collect();
    let mut covered = vec![false; n];
    for c in 0..cols.len() {
        let (mut p, mut best) = (usize::MAX, 0.0);
        for i in 0..n {
            if !covered[i] && cols[c][i].abs() > best {
                best = cols[c][i].abs();
                p = i;
            }
        }
        let size = cols[c].iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if p == usize::MAX || !(best > 1e-9 * size) {
            return None;
        }
        covered[p] = true;
        let pivot_col = cols[c].clone();
        for later in cols.iter_mut().skip(c + 1) {
            let f = later[p] / pivot_col[p];
            if f != 0.0 {
                for i in 0..n {
                    later[i] -= f * pivot_col[i];
                }
            }
        }
    }
    let mut slots: Vec<Slot> = others.iter().map(|&j| Slot::Column(j)).collect();
    slots.extend((0..n).filter(|&i| !covered[i]).map(|i| Slot::Artificial(i, 1.0)));
    Some(slots)
}
