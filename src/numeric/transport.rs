//! The exact quadratic Wasserstein cost between two discrete measures: the transportation
//! problem with squared Euclidean cost, solved by the network simplex method and certified by
//! its dual.
//!
//! # The problem
//! For atoms `x_i ∈ R^D` with masses `a_i` (`i < n`) and `y_j` with masses `b_j` (`j < m`),
//! `Σ a_i = Σ b_j`, and `c_ij = |x_i − y_j|²`,
//!
//! ```text
//! W² = min Σ c_ij π_ij  over  π ≥ 0,  Σ_j π_ij = a_i,  Σ_i π_ij = b_j        (primal)
//!    = max Σ a_i u_i + Σ b_j v_j  over  u_i + v_j ≤ c_ij                      (dual)
//! ```
//!
//! Weak duality `Σ a u + Σ b v = Σ π_ij (u_i + v_j) ≤ Σ π_ij c_ij` holds for every plan and every
//! feasible `(u, v)`, so a plan and feasible potentials of equal value are both optimal. The
//! solver returns both: the plan's cost, the potentials' value `dual`, their difference `gap`,
//! and the largest violation `max(0, u_i + v_j − c_ij)` over all pairs. A gap and a violation at
//! round-off certify that the cost is the exact optimum (to round-off), not an approximation of
//! it: no entropic or other regularization is involved.
//!
//! # The method
//! The primal simplex on the network of the problem: the sources, the sinks and a root `r`
//! joined to every node by an artificial arc (`i → r`, `r → j`) of cost `K = max_ij c_ij`. A
//! basis is a spanning tree; its flows follow from the masses, its potentials `p` from
//! `c_e + p_tail − p_head = 0` on its arcs (`u_i = −p_i`, `v_j = p_j`), and an arc `i → j` with
//! reduced cost `r_ij = c_ij − u_i − v_j < 0` enters: the cycle it closes carries the most it can
//! (`δ`, the least flow on the cycle's backward arcs), one of those leaves, and the subtree below
//! it is hung from the entering arc, its potentials recomputed from its new parent.
//!
//! * **Start**: the tree of artificial arcs, carrying `a_i` and `b_j` (every flow positive).
//! * **Pricing**: block search — the arcs in a fixed cyclic order, in blocks of `⌈√(n m)⌉`; the
//!   most negative reduced cost of the first block that has one enters. "Negative" means below
//!   `−TOL · (c_ij + |u_i| + |v_j|)`, the round-off of its terms, so that round-off never pivots.
//! * **Leaving arc**: the last blocking arc met going round the cycle from its apex in the
//!   entering arc's direction (Cunningham's rule). The tree stays *strongly feasible* (every
//!   zero flow points away from the root), which rules out cycling in degenerate pivots.
//! * **End**: when no arc prices out. Then every real `r_ij ≥ 0` (to round-off), so no
//!   artificial arc can carry flow on both sides (a source's and a sink's would make
//!   `r_ij = c_ij − 2K < 0`): with equal totals none does, and the tree is an optimal basis of the
//!   problem itself. Any artificial flow left is the round-off between the totals
//!   ([`Transport::unmatched`]).
//! * **Certificate**: `u` from the tree, shifted (`u += k`, `v −= k`) so that `Σ a u = Σ b v`
//!   (which keeps the dual's two halves from cancelling), and `v` recomputed as the c-transform
//!   `v_j = min_i (c_ij − u_i)`: feasible by construction and, on the plan's arcs, equal to the
//!   tree's up to round-off.
//!
//! Cost: each pivot prices at least one block (`O(D √(n m))`) and updates the cycle and the
//! moved subtree (`O(D (n + m))` at worst); the number of pivots is not polynomially bounded in
//! theory but grows roughly like `n + m` times a small factor in practice. `O(D n m)` for the
//! last pricing pass (which finds nothing), `K` and the certificate. Memory `O(n + m)`: costs
//! are recomputed from the points, never stored. Deterministic: fixed orders and tie-breaks, no
//! randomness, no hashing, no threads.
//!
//! Atoms of zero mass are dropped before the solve and get the c-transform's potentials
//! afterwards (so `u`, `v` are feasible for every pair of the input); masses must be finite and
//! `≥ 0`, coordinates finite, and the totals equal to [`MASS_TOLERANCE`] (a larger difference is
//! another problem, unbalanced transport).

use crate::input::error::{Error, Result};

/// Totals within this relative difference count as equal (masses computed by a linear program
/// carry round-off; measures whose masses differ by more are refused).
pub const MASS_TOLERANCE: f64 = 1e-9;

/// An arc enters when its reduced cost is below `−TOL` times the sum of its terms' sizes.
const TOL: f64 = 64.0 * f64::EPSILON;

/// No node.
const NONE: usize = usize::MAX;

/// One arc of the optimal plan: `mass` moves from `source` (an index into the first measure)
/// to `target` (an index into the second).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flow {
    /// Index of the atom of the first measure.
    pub source: usize,
    /// Index of the atom of the second measure.
    pub target: usize,
    /// The mass moved, `> 0`.
    pub mass: f64,
}

/// The optimal plan with its certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Transport {
    /// `W² = Σ c_ij π_ij` of the plan.
    pub cost: f64,
    /// `Σ a_i u_i + Σ b_j v_j`, a lower bound on `W²` (the potentials are feasible up to
    /// `violation`).
    pub dual: f64,
    /// `cost − dual`.
    pub gap: f64,
    /// `max(0, max_ij u_i + v_j − c_ij)` over every pair (the dual's infeasibility: round-off).
    pub violation: f64,
    /// Potentials of the first measure's atoms, in input order.
    pub u: Vec<f64>,
    /// Potentials of the second measure's atoms, in input order.
    pub v: Vec<f64>,
    /// The plan's arcs of positive mass, sorted by source then target.
    pub plan: Vec<Flow>,
    /// Mass not moved: the excess of the heavier measure (at most [`MASS_TOLERANCE`] relative).
    pub unmatched: f64,
    /// Simplex pivots performed.
    pub pivots: usize,
}

/// `|p − q|²`.
#[inline]
fn cost<const D: usize>(p: &[f64; D], q: &[f64; D]) -> f64 {
    let mut s = 0.0;
    for k in 0..D {
        let t = p[k] - q[k];
        s += t * t;
    }
    s
}

/// Neumaier's compensated sum.
fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for v in values {
        let t = s + v;
        c += if s.abs() >= v.abs() { (s - t) + v } else { (v - t) + s };
        s = t;
    }
    s + c
}

/// Checks one measure: as many masses as points, finite coordinates, finite masses `≥ 0`, one
/// of them positive.
fn check<const D: usize>(which: &str, points: &[[f64; D]], masses: &[f64]) -> Result<()> {
    if points.len() != masses.len() {
        return Err(Error::Usage(format!("transport: the {which} measure has {} points but {} masses", points.len(), masses.len())));
    }
    if let Some(i) = masses.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
        return Err(Error::Usage(format!("transport: mass {} of the {which} measure is {} (masses must be finite and >= 0)", i + 1, masses[i])));
    }
    if let Some(i) = points.iter().position(|p| !p.iter().all(|c| c.is_finite())) {
        return Err(Error::Usage(format!("transport: point {} of the {which} measure has a non-finite coordinate ({:?})", i + 1, points[i])));
    }
    if !masses.iter().any(|&w| w > 0.0) {
        return Err(Error::Usage(format!("transport: the {which} measure has no atom of positive mass")));
    }
    Ok(())
}

/// The exact `W²` between `Σ a_i δ(x_i)` and `Σ b_j δ(y_j)` (squared Euclidean cost in `R^D`),
/// with the optimal plan and the dual potentials that certify it (see the module docs).
///
/// Errors ([`Error::Usage`]): a measure with a different number of points and masses, a
/// non-finite coordinate, a negative or non-finite mass, no atom of positive mass, or totals that
/// differ by more than [`MASS_TOLERANCE`] relative.
pub fn wasserstein2<const D: usize>(x: &[[f64; D]], a: &[f64], y: &[[f64; D]], b: &[f64]) -> Result<Transport> {
    check("first", x, a)?;
    check("second", y, b)?;
    let (total_a, total_b) = (sum(a.iter().copied()), sum(b.iter().copied()));
    if (total_a - total_b).abs() > MASS_TOLERANCE * total_a.max(total_b) {
        return Err(Error::Usage(format!(
            "transport: the measures' total masses differ, {total_a} vs {total_b} (relative difference {:.1e} > {MASS_TOLERANCE:.0e})",
            (total_a - total_b).abs() / total_a.max(total_b)
        )));
    }
    let rows: Vec<usize> = (0..a.len()).filter(|&i| a[i] > 0.0).collect();
    let cols: Vec<usize> = (0..b.len()).filter(|&j| b[j] > 0.0).collect();
    let kept_x: Vec<[f64; D]> = rows.iter().map(|&i| x[i]).collect();
    let kept_y: Vec<[f64; D]> = cols.iter().map(|&j| y[j]).collect();
    let mut simplex = Simplex::new(&kept_x, &kept_y, rows.iter().map(|&i| a[i]), cols.iter().map(|&j| b[j]));
    simplex.solve()?;
    Ok(simplex.certificate(x, a, y, b, &rows, &cols))
}

/// The spanning tree of the basis. Nodes: sources `0..n`, sinks `n..n + m`, the root `n + m`.
/// Every node but the root has one tree arc, to its parent: directed node → parent for a source
/// (`i → j` or `i → r`) and parent → node for a sink (`i → j` or `r → j`); artificial exactly
/// when the parent is the root.
struct Simplex<'p, const D: usize> {
    x: &'p [[f64; D]],
    y: &'p [[f64; D]],
    /// Cost of an artificial arc.
    artificial: f64,
    parent: Vec<usize>,
    /// Flow on the arc to the parent.
    flow: Vec<f64>,
    depth: Vec<usize>,
    /// Potentials `p` (`u_i = −p_i`, `v_j = p_{n+j}`, `p_root = 0`).
    p: Vec<f64>,
    /// Children as doubly linked lists.
    first_child: Vec<usize>,
    next: Vec<usize>,
    prev: Vec<usize>,
    /// Pricing: block size and the next arc `(i, j)` to look at.
    block: usize,
    cursor: (usize, usize),
    pivots: usize,
    stack: Vec<usize>,
}

impl<'p, const D: usize> Simplex<'p, D> {
    fn new(x: &'p [[f64; D]], y: &'p [[f64; D]], a: impl Iterator<Item = f64>, b: impl Iterator<Item = f64>) -> Self {
        let (n, m) = (x.len(), y.len());
        let root = n + m;
        let largest = x.iter().flat_map(|xi| y.iter().map(move |yj| cost(xi, yj))).fold(0.0, f64::max);
        // Any K > max c / 2 keeps the artificial arcs out of the optimum; K sets the potentials'
        // scale, hence their round-off.
        let artificial = if largest > 0.0 { largest } else { 1.0 };
        let mut s = Simplex {
            x,
            y,
            artificial,
            parent: vec![root; root + 1],
            flow: a.chain(b).chain([0.0]).collect(),
            depth: vec![1; root + 1],
            p: vec![0.0; root + 1],
            first_child: vec![NONE; root + 1],
            next: vec![NONE; root + 1],
            prev: vec![NONE; root + 1],
            block: ((n as f64 * m as f64).sqrt().ceil() as usize).max(10),
            cursor: (0, 0),
            pivots: 0,
            stack: Vec::new(),
        };
        s.parent[root] = NONE;
        s.depth[root] = 0;
        for v in (0..root).rev() {
            s.link(v, root);
            s.p[v] = if v < n { -artificial } else { artificial };
        }
        s
    }

    /// The cost of `v`'s tree arc.
    fn tree_cost(&self, v: usize) -> f64 {
        let (n, q) = (self.x.len(), self.parent[v]);
        if q == n + self.y.len() {
            self.artificial
        } else if v < n {
            cost(&self.x[v], &self.y[q - n])
        } else {
            cost(&self.x[q], &self.y[v - n])
        }
    }

    /// Removes `v` from its parent's children.
    fn unlink(&mut self, v: usize) {
        let (before, after) = (self.prev[v], self.next[v]);
        match before {
            NONE => self.first_child[self.parent[v]] = after,
            b => self.next[b] = after,
        }
        if after != NONE {
            self.prev[after] = before;
        }
    }

    /// Makes `v` a child of `q`.
    fn link(&mut self, v: usize, q: usize) {
        self.parent[v] = q;
        self.prev[v] = NONE;
        self.next[v] = self.first_child[q];
        if self.first_child[q] != NONE {
            self.prev[self.first_child[q]] = v;
        }
        self.first_child[q] = v;
    }

    /// Depths and potentials of the subtree of `top` from its parent's (tree arcs tight).
    fn refresh(&mut self, top: usize) {
        let n = self.x.len();
        self.stack.clear();
        self.stack.push(top);
        while let Some(v) = self.stack.pop() {
            let q = self.parent[v];
            self.depth[v] = self.depth[q] + 1;
            let c = self.tree_cost(v);
            self.p[v] = if v < n { self.p[q] - c } else { self.p[q] + c };
            let mut child = self.first_child[v];
            while child != NONE {
                self.stack.push(child);
                child = self.next[child];
            }
        }
    }

    /// Block search: the most negative reduced cost of the first block that has one, as
    /// `(i, j, r_ij)`; `None` when no arc prices out.
    fn entering(&mut self) -> Option<(usize, usize, f64)> {
        let (n, m) = (self.x.len(), self.y.len());
        let (mut best, mut best_r) = (None, 0.0);
        let (mut left, mut seen) = (self.block, 0);
        while seen < n * m {
            let (i, start) = self.cursor;
            let end = (start + left).min(m);
            let (xi, pi) = (&self.x[i], self.p[i]);
            for (j, yj) in self.y[start..end].iter().enumerate() {
                let (c, pj) = (cost(xi, yj), self.p[n + start + j]);
                let r = c + pi - pj;
                if r < best_r && r < -TOL * (c + pi.abs() + pj.abs()) {
                    (best, best_r) = (Some((i, start + j, r)), r);
                }
            }
            (seen, left) = (seen + end - start, left - (end - start));
            self.cursor = if end == m { ((i + 1) % n, 0) } else { (i, end) };
            if left == 0 {
                if best.is_some() {
                    return best;
                }
                left = self.block;
            }
        }
        best
    }

    /// Pivots the arc `i → j` into the tree.
    fn pivot(&mut self, i: usize, j: usize) {
        let n = self.x.len();
        let (first, second) = (i, n + j);
        let (mut s, mut t) = (first, second);
        while s != t {
            match self.depth[s].cmp(&self.depth[t]) {
                std::cmp::Ordering::Greater => s = self.parent[s],
                std::cmp::Ordering::Less => t = self.parent[t],
                std::cmp::Ordering::Equal => (s, t) = (self.parent[s], self.parent[t]),
            }
        }
        let join = s;
        // Going round the cycle i → j → … → join → … → i, the arcs whose flow decreases are
        // the sources' on i's side and the sinks' on j's side; the last blocking one leaves.
        let (mut delta, mut out, mut on_first) = (f64::INFINITY, NONE, true);
        let mut v = first;
        while v != join {
            if v < n && self.flow[v] < delta {
                (delta, out, on_first) = (self.flow[v], v, true);
            }
            v = self.parent[v];
        }
        v = second;
        while v != join {
            if v >= n && self.flow[v] <= delta {
                (delta, out, on_first) = (self.flow[v], v, false);
            }
            v = self.parent[v];
        }
        for (start, decreasing_sources) in [(first, true), (second, false)] {
            let mut v = start;
            while v != join {
                if (v < n) == decreasing_sources {
                    self.flow[v] -= delta;
                } else {
                    self.flow[v] += delta;
                }
                v = self.parent[v];
            }
        }
        // Hang the subtree below the leaving arc from the entering one, reversing the path
        // from the entering arc's end up to the leaving arc.
        let (mut v, mut new_parent, mut new_flow) = if on_first { (first, second, delta) } else { (second, first, delta) };
        let top = v;
        loop {
            let (old_parent, old_flow) = (self.parent[v], self.flow[v]);
            self.unlink(v);
            self.link(v, new_parent);
            self.flow[v] = new_flow;
            if v == out {
                break;
            }
            (new_parent, new_flow, v) = (v, old_flow, old_parent);
        }
        self.refresh(top);
        self.pivots += 1;
    }

    /// Pivots until no arc prices out.
    fn solve(&mut self) -> Result<()> {
        let nodes = self.x.len() + self.y.len();
        // A guard only: strongly feasible trees do not cycle.
        let cap = 1000 * nodes + 100_000;
        while let Some((i, j, _)) = self.entering() {
            if self.pivots >= cap {
                return Err(Error::Usage(format!("transport: no optimum after {cap} pivots (not expected: please report)")));
            }
            self.pivot(i, j);
        }
        Ok(())
    }

    /// The plan, its cost and the certificate in the input's indices (`rows`, `cols`: the
    /// positive atoms); the zero-mass atoms get the c-transform's potentials.
    fn certificate(mut self, x: &[[f64; D]], a: &[f64], y: &[[f64; D]], b: &[f64], rows: &[usize], cols: &[usize]) -> Transport {
        let (n, root) = (rows.len(), rows.len() + cols.len());
        let mut child = self.first_child[root];
        while child != NONE {
            self.refresh(child);
            child = self.next[child];
        }
        let (mut plan, mut unmatched) = (Vec::new(), Vec::new());
        for v in 0..root {
            let q = self.parent[v];
            match (q == root, v < n) {
                (true, _) => unmatched.push(self.flow[v]),
                (false, true) if self.flow[v] > 0.0 => plan.push(Flow { source: rows[v], target: cols[q - n], mass: self.flow[v] }),
                (false, false) if self.flow[v] > 0.0 => plan.push(Flow { source: rows[q], target: cols[v - n], mass: self.flow[v] }),
                _ => {}
            }
        }
        plan.sort_by_key(|f| (f.source, f.target));
        let primal = sum(plan.iter().map(|f| f.mass * cost(&x[f.source], &y[f.target])));
        // Shift so that the dual's halves are equal, then v = the c-transform of u.
        let half_a = sum(rows.iter().enumerate().map(|(k, &i)| -a[i] * self.p[k]));
        let half_b = sum(cols.iter().enumerate().map(|(k, &j)| b[j] * self.p[n + k]));
        let shift = (half_b - half_a) / sum(rows.iter().map(|&i| a[i]).chain(cols.iter().map(|&j| b[j])));
        let mut u = vec![f64::INFINITY; x.len()];
        for (k, &i) in rows.iter().enumerate() {
            u[i] = -self.p[k] + shift;
        }
        let mut v = vec![f64::INFINITY; y.len()];
        for &j in cols {
            v[j] = rows.iter().map(|&i| cost(&x[i], &y[j]) - u[i]).fold(f64::INFINITY, f64::min);
        }
        for (i, ui) in u.iter_mut().enumerate().filter(|(i, _)| a[*i] == 0.0) {
            *ui = cols.iter().map(|&j| cost(&x[i], &y[j]) - v[j]).fold(f64::INFINITY, f64::min);
        }
        for (j, vj) in v.iter_mut().enumerate().filter(|(j, _)| b[*j] == 0.0) {
            *vj = u.iter().enumerate().map(|(i, ui)| cost(&x[i], &y[j]) - ui).fold(f64::INFINITY, f64::min);
        }
        let mut violation = 0.0f64;
        for (xi, ui) in x.iter().zip(&u) {
            for (yj, vj) in y.iter().zip(&v) {
                violation = violation.max(ui + vj - cost(xi, yj));
            }
        }
        let dual = sum(a.iter().zip(&u).map(|(w, q)| w * q).chain(b.iter().zip(&v).map(|(w, q)| w * q)));
        Transport { cost: primal, dual, gap: primal - dual, violation, u, v, plan, unmatched: sum(unmatched), pivots: self.pivots }
    }
}
