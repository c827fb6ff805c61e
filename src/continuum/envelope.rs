//! The lower envelope along `ϕ` at one `β` (MATH §11 "Design"): the circle `ϕ ∈ [0, 2π)` cut
//! into intervals on each of which the exact minimizer `θ*_α(t)` of [`Pieces::best`] stays on
//! one piece, `t = (sin β, cos β cos ϕ, cos β sin ϕ)`.
//!
//! The piece label is sampled on a uniform grid of `ϕ` and every label change is bisected
//! (each midpoint's label is computed, so a piece that appears between two samples of
//! different labels is found too) down to a bracket of `ϕ_tol`. A piece that wins only on an
//! interval shorter than the grid step, between two samples of the *same* label, is missed;
//! such intervals occur only near the `β` where two envelope roots meet, and cost an error of
//! the order of their width.
//!
//! Each change is either a **tie** (two valid pieces with equal values and different minimizers:
//! the integrand jumps) or a continuous passage of the minimizer across a sector boundary (a
//! validity limit: the minimizers agree). Ties carry the Hessian's curve term
//! (`integrate`), `Δφ Δφᵀ / ∂_ϕ(Q_c − Q_c')`.

use crate::direction::{Candidate, Pieces};

/// One interval of the partition, on which the minimizer is on `piece`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The piece.
    pub piece: Candidate,
    /// Start angle.
    pub lo: f64,
    /// End angle (`> lo`).
    pub hi: f64,
}

/// A place where the best piece changes, from `from` (before) to `to` (after).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// The angle (middle of the final bracket).
    pub at: f64,
    /// Best piece just before.
    pub from: Candidate,
    /// Best piece just after.
    pub to: Candidate,
}

/// The partition of `[0, 2π)` at one `β`.
#[derive(Debug, Clone, Default)]
pub struct Partition {
    /// Intervals in increasing `ϕ`, covering `[0, 2π]`.
    pub intervals: Vec<Interval>,
    /// The changes between consecutive intervals.
    pub changes: Vec<Change>,
    /// Calls of [`Pieces::best`] spent.
    pub evaluations: usize,
}

/// How the envelope is located.
#[derive(Debug, Clone, Copy)]
pub struct EnvelopeSettings {
    /// Samples of the label on `[0, 2π)`: at least this many, and at least twice the sectors.
    pub samples: usize,
    /// Width of the final bracket of each change.
    pub phi_tol: f64,
}

/// The direction at `(sin β, cos β)` and `ϕ`.
#[inline]
pub fn direction(sb: f64, cb: f64, phi: f64) -> [f64; 3] {
    [sb, cb * libm::cos(phi), cb * libm::sin(phi)]
}

/// The partition at `β` (given as `sb = sin β`, `cb = cos β`).
pub fn partition(pieces: &Pieces, sb: f64, cb: f64, settings: EnvelopeSettings) -> Partition {
    let m = settings.samples.max(2 * pieces.v.len()).max(4);
    let two_pi = 2.0 * std::f64::consts::PI;
    let mut evaluations = 0;
    let mut label = |phi: f64| {
        evaluations += 1;
        pieces.best(direction(sb, cb, phi)).candidate
    };
    // A small offset keeps the samples off the breakpoint rays (where pieces coincide).
    let offset = 0.318_309_886 * two_pi / m as f64;
    let mut angles: Vec<f64> = (0..m).map(|j| offset + two_pi * j as f64 / m as f64).collect();
    // Three samples inside every sector between the data breakpoints, however narrow (two
    // nearly coincident abscissas cut a sector far narrower than the uniform step, and near
    // the kernel end each sector's interior piece wins on about that sector).
    let rays = pieces.ray_angles();
    for k in 0..rays.len() {
        let lo = rays[k];
        let hi = if k + 1 < rays.len() { rays[k + 1] } else { rays[0] + two_pi };
        for f in [0.25, 0.5, 0.75] {
            let mut a = lo + f * (hi - lo);
            while a < offset {
                a += two_pi;
            }
            while a >= two_pi + offset {
                a -= two_pi;
            }
            angles.push(a);
        }
    }
    angles.sort_by(f64::total_cmp);
    angles.push(angles[0] + two_pi);
    let m = angles.len() - 1;
    // The samples all at once through the vectorized minimizer (the same choices as `best`).
    let directions: Vec<[f64; 3]> = angles.iter().map(|&p| direction(sb, cb, p)).collect();
    let labels: Vec<Candidate> = pieces.best_all(&directions).iter().map(|c| c.candidate).collect();
    let sampled = labels.len();
    let mut changes: Vec<Change> = Vec::new();
    let mut finder = Finder { pieces, sb, cb, tol: settings.phi_tol };
    for j in 0..m {
        if labels[j] != labels[j + 1] {
            finder.locate(&mut label, angles[j], labels[j], angles[j + 1], labels[j + 1], &mut changes);
        }
    }
    // Changes at angles in [offset, 2π + offset); rotate to [0, 2π).
    for c in &mut changes {
        if c.at >= two_pi {
            c.at -= two_pi;
        }
    }
    changes.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut intervals = Vec::with_capacity(changes.len() + 1);
    if changes.is_empty() {
        intervals.push(Interval { piece: labels[0], lo: 0.0, hi: two_pi });
    } else {
        // The piece at ϕ = 0 is the one before the first change.
        let first = changes[0].from;
        let mut lo = 0.0;
        let mut piece = first;
        for c in &changes {
            if c.at > lo {
                intervals.push(Interval { piece, lo, hi: c.at });
            }
            lo = c.at;
            piece = c.to;
        }
        if two_pi > lo {
            intervals.push(Interval { piece, lo, hi: two_pi });
        }
    }
    Partition { intervals, changes, evaluations: evaluations + sampled }
}

/// Which of the two pieces `la`, `lb` [`Pieces::best`] would choose at `t` if they were the
/// only ones: `Some(true)` for `la`, `Some(false)` for `lb`, `None` when the dead neuron beats
/// both (a third piece). Agrees with `best` wherever `best` picks `la` or `lb`; `O(1)`,
/// against the `O(n)` of `best`.
#[inline]
fn versus(pieces: &Pieces, t: [f64; 3], la: Candidate, lb: Candidate) -> Option<bool> {
    let w = pieces.best_of_two(t, la, lb);
    if w == la {
        Some(true)
    } else if w == lb {
        Some(false)
    } else {
        None
    }
}

/// Locates the changes at one `β`.
struct Finder<'a> {
    pieces: &'a Pieces,
    sb: f64,
    cb: f64,
    tol: f64,
}

impl Finder<'_> {
    #[inline]
    fn t(&self, phi: f64) -> [f64; 3] {
        direction(self.sb, self.cb, phi)
    }

    #[inline]
    fn on(&self, phi: f64, la: Candidate, lb: Candidate) -> Option<bool> {
        versus(self.pieces, self.t(phi), la, lb)
    }

    /// `Q_la − Q_lb` at `ϕ`, validity ignored (`None`: an unbounded piece).
    #[inline]
    fn difference(&self, phi: f64, la: Candidate, lb: Candidate) -> Option<f64> {
        let t = self.t(phi);
        Some(self.pieces.on_piece(t, la)?.0.value - self.pieces.on_piece(t, lb)?.0.value)
    }

    /// Where the two-piece switch may be, best guesses first: the roots in `[a, b]` of the
    /// validity margins that change sign on it (`la` leaving its domain, `lb` entering its
    /// own: `c₀ + c₁ cos ϕ + c₂ sin ϕ`, in closed form, the margins being linear in `t`), and
    /// the root of `Q_la − Q_lb` (a tie, by Illinois regula falsi) when it changes sign.
    fn guesses(&self, a: f64, la: Candidate, b: f64, lb: Candidate, out: &mut Vec<f64>) {
        let p = self.pieces;
        let (ta, tb) = (self.t(a), self.t(b));
        for (piece, leaving) in [(la, true), (lb, false)] {
            let (ma, count) = p.validity_margins(ta, piece);
            if count == 0 {
                continue;
            }
            let (mb, _) = p.validity_margins(tb, piece);
            let e = |q: usize| p.validity_margins(q_unit(q), piece).0;
            let (e0, e1, e2) = (e(0), e(1), e(2));
            for q in 0..count {
                let changes = if leaving { ma[q] >= 0.0 && mb[q] < 0.0 } else { ma[q] < 0.0 && mb[q] >= 0.0 };
                if !changes {
                    continue;
                }
                let (c0, c1, c2) = (self.sb * e0[q], self.cb * e1[q], self.cb * e2[q]);
                if let Some(r) = trig_root(c0, c1, c2, a, b) {
                    out.push(r);
                }
            }
        }
        if let (Some(da), Some(db)) = (self.difference(a, la, lb), self.difference(b, la, lb)) {
            if da < 0.0 && db > 0.0 {
                if let Some(r) = self.illinois(a, da, b, db, la, lb) {
                    out.push(r);
                }
            }
        }
    }

    /// The root of `Q_la − Q_lb` in `[a, b]` (`fa < 0 < fb`) to about `tol/10`.
    fn illinois(&self, mut a: f64, mut fa: f64, mut b: f64, mut fb: f64, la: Candidate, lb: Candidate) -> Option<f64> {
        let mut side = 0;
        for _ in 0..60 {
            let x = (a * fb - b * fa) / (fb - fa);
            let x = if x > a && x < b { x } else { 0.5 * (a + b) };
            let fx = self.difference(x, la, lb)?;
            if fx == 0.0 {
                return Some(x);
            }
            if fx < 0.0 {
                let step = x - a;
                a = x;
                fa = fx;
                if side == -1 {
                    fb *= 0.5;
                }
                side = -1;
                if step.abs() < 0.1 * self.tol || b - a < 0.1 * self.tol {
                    return Some(x);
                }
            } else {
                let step = b - x;
                b = x;
                fb = fx;
                if side == 1 {
                    fa *= 0.5;
                }
                side = 1;
                if step.abs() < 0.1 * self.tol || b - a < 0.1 * self.tol {
                    return Some(x);
                }
            }
        }
        None
    }

    /// The switch between `la` (at `a`) and `lb` (at `b`) by the two pieces alone
    /// ([`versus`]): a bracket `[p, q]` of width `≤ tol`. First each guess is tried (the two
    /// pieces' choices just either side of it), then bisection.
    fn switch(&self, a: f64, la: Candidate, b: f64, lb: Candidate) -> Option<(f64, f64)> {
        if !self.on(a, la, lb)? || self.on(b, la, lb)? {
            return None;
        }
        let mut guesses = Vec::new();
        self.guesses(a, la, b, lb, &mut guesses);
        let h = 0.45 * self.tol;
        for g in guesses {
            let (p, q) = ((g - h).max(a), (g + h).min(b));
            if p < q && self.on(p, la, lb) == Some(true) && self.on(q, la, lb) == Some(false) {
                return Some((p, q));
            }
        }
        let (mut p, mut q) = (a, b);
        while q - p > self.tol {
            let m = 0.5 * (p + q);
            if m <= p || m >= q {
                break;
            }
            if self.on(m, la, lb)? {
                p = m;
            } else {
                q = m;
            }
        }
        Some((p, q))
    }

    /// Locates every change in `[a, b]` (labels `la ≠ lb`, brackets of width `tol`).
    ///
    /// The switch between `la` and `lb` alone ([`Finder::switch`], `O(1)` per step) gives a
    /// bracket `[p, q]`; then the full minimizer checks it: the labels at `p`, `q` and at the
    /// middles of `[a, p]` and `[q, b]` must be `la, la, lb, lb`. Four calls of
    /// [`Pieces::best`] per change instead of one per bisection step (about 37); the checks at
    /// `p` and `q` are needed (without them a piece winning only next to a switch, where three
    /// pieces nearly meet, was missed). Where a check finds another label (a
    /// third piece), every sub-bracket whose end labels differ is located the same way; where
    /// the two-piece search fails (neither piece valid), one bisection step with the full
    /// minimizer is taken. Every sub-bracket is at most half of `[a, b]`, so this ends.
    fn locate(&mut self, label: &mut impl FnMut(f64) -> Candidate, a: f64, la: Candidate, b: f64, lb: Candidate, out: &mut Vec<Change>) {
        if b - a <= self.tol {
            out.push(Change { at: 0.5 * (a + b), from: la, to: lb });
            return;
        }
        let Some((p, q)) = self.switch(a, la, b, lb) else {
            let m = 0.5 * (a + b);
            let lm = label(m);
            if lm != la {
                self.locate(label, a, la, m, lm, out);
            }
            if lm != lb {
                self.locate(label, m, lm, b, lb, out);
            }
            return;
        };
        let points = [a, 0.5 * (a + p), p, q, 0.5 * (q + b), b];
        let mut labels = [la, la, la, lb, lb, lb];
        for j in 1..5 {
            // A point at an end (an empty part) has the end's label.
            if points[j] != a && points[j] != b {
                labels[j] = label(points[j]);
            }
        }
        for j in 0..5 {
            if labels[j] != labels[j + 1] && points[j + 1] > points[j] {
                self.locate(label, points[j], labels[j], points[j + 1], labels[j + 1], out);
            }
        }
    }
}

/// The unit vector `e_q` of `R³`.
fn q_unit(q: usize) -> [f64; 3] {
    let mut e = [0.0; 3];
    e[q] = 1.0;
    e
}

/// A root in `[a, b]` of `c₀ + c₁ cos ϕ + c₂ sin ϕ` (the smallest), polished by a Newton step.
fn trig_root(c0: f64, c1: f64, c2: f64, a: f64, b: f64) -> Option<f64> {
    let r = c1.hypot(c2);
    if !(r > 0.0) || c0.abs() > r {
        return None;
    }
    let psi = libm::atan2(c2, c1);
    let w = libm::acos(-c0 / r);
    let two_pi = 2.0 * std::f64::consts::PI;
    let mut best: Option<f64> = None;
    for base in [psi + w, psi - w] {
        let mut x = base + two_pi * libm::floor((a - base) / two_pi);
        while x < a {
            x += two_pi;
        }
        if x <= b {
            let (s, c) = (libm::sin(x), libm::cos(x));
            let (g, dg) = (c0 + c1 * c + c2 * s, c2 * c - c1 * s);
            let polished = if dg != 0.0 { x - g / dg } else { x };
            let x = if (polished - x).abs() < 1e-6 { polished } else { x };
            best = Some(best.map_or(x, |v: f64| v.min(x)));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Sectors;

    /// Every interval's interior has the interval's label, on a fine check grid.
    #[test]
    fn intervals_have_one_label() {
        let x = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let alpha0 = [0.3, -0.5, 0.4, -0.2, 0.35, -0.1];
        let sectors = Sectors::new(&x);
        let sup = Pieces::new(&sectors, &x, &alpha0).sup_g;
        for target in [0.1, 1.0, 1.9] {
            let alpha: Vec<f64> = alpha0.iter().map(|a| a * target / sup).collect();
            let p = Pieces::new(&sectors, &x, &alpha);
            for beta in [-1.2, -0.3, 0.05, 0.7, 1.4] {
                let (sb, cb) = (libm::sin(beta), libm::cos(beta));
                let part = partition(&p, sb, cb, EnvelopeSettings { samples: 256, phi_tol: 1e-12 });
                let mut bad = 0;
                for iv in &part.intervals {
                    for q in 1..20 {
                        let phi = iv.lo + (iv.hi - iv.lo) * q as f64 / 20.0;
                        if p.best(direction(sb, cb, phi)).candidate != iv.piece {
                            bad += 1;
                        }
                    }
                }
                if bad > 0 {
                    for iv in &part.intervals {
                        eprintln!("{:?} {:.15} {:.15}", iv.piece, iv.lo, iv.hi);
                    }
                    for c in &part.changes {
                        eprintln!("change {:?}", c);
                    }
                }
                assert!(bad == 0, "target {target} beta {beta}: {bad} mislabeled checks, {} intervals", part.intervals.len());
            }
        }
    }
}
