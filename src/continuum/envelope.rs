//! The lower envelope along `ϕ` at one `β` (MATH §11 "Design"): the circle `ϕ ∈ [0, 2π)` cut
//! into intervals on each of which the exact minimizer `θ*_α(t)` of [`Pieces::best`] stays on
//! one piece, `t = (sin β, cos β cos ϕ, cos β sin ϕ)`.
//!
//! The piece label is sampled on a uniform grid of `ϕ` and every label change is bisected
//! down to a bracket of `ϕ_tol`: with the two pieces alone (`Pieces::best_of_two`, `O(1)` a
//! step, the same choices as the full minimizer wherever it picks one of them, so the same
//! brackets), then four labels by the full minimizer check for a third piece (the bracket's
//! ends and the middles of the parts outside it), which is located the same way. A piece that wins only on an
//! interval shorter than the grid step, between two samples of the *same* label, is missed;
//! such intervals occur only near the `β` where two envelope roots meet, and cost an error of
//! the order of their width.
//!
//! Each change is either a **tie** (two valid pieces with equal values and different minimizers:
//! the integrand jumps) or a continuous passage of the minimizer across a sector boundary (a
//! validity limit: the minimizers agree). Ties carry the Hessian's curve term
//! (`integrate`), `Δφ Δφᵀ / ∂_ϕ(Q_c − Q_c')`.

use crate::dual::direction::{Candidate, Pieces};

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
    #[allow(clippy::approx_constant)] // a fraction of the step that no breakpoint ray favours, not 1/π
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
    let mut on = |phi: f64, la: Candidate, lb: Candidate| versus(pieces, direction(sb, cb, phi), la, lb);
    for j in 0..m {
        if labels[j] != labels[j + 1] {
            locate(&mut label, &mut on, angles[j], labels[j], angles[j + 1], labels[j + 1], settings.phi_tol, &mut changes);
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

/// Locates every change in `[a, b]` (labels `la ≠ lb`, brackets of width `tol`).
///
/// First the switch between `la` and `lb` alone is bisected with [`versus`] (`O(1)` per step)
/// to a bracket `[p, q]` of width `tol`; then the full minimizer checks it: the labels at `p`,
/// `q` and at the middles of `[a, p]` and `[q, b]` must be `la, la, lb, lb`. Four calls of
/// [`Pieces::best`] per change instead of one per bisection step (about 37). Where a check
/// finds another label (a third piece), every sub-bracket whose end labels differ is located
/// the same way; where the two-piece search fails (neither piece valid), one bisection step
/// with the full minimizer is taken. Every sub-bracket is at most half of `[a, b]`, so this ends.
#[allow(clippy::too_many_arguments)]
fn locate(
    label: &mut impl FnMut(f64) -> Candidate,
    on: &mut impl FnMut(f64, Candidate, Candidate) -> Option<bool>,
    a: f64,
    la: Candidate,
    b: f64,
    lb: Candidate,
    tol: f64,
    out: &mut Vec<Change>,
) {
    if b - a <= tol {
        out.push(Change { at: 0.5 * (a + b), from: la, to: lb });
        return;
    }
    let switch = (|| {
        if !on(a, la, lb)? || on(b, la, lb)? {
            return None;
        }
        let (mut p, mut q) = (a, b);
        while q - p > tol {
            let m = 0.5 * (p + q);
            if m <= p || m >= q {
                break;
            }
            if on(m, la, lb)? {
                p = m;
            } else {
                q = m;
            }
        }
        Some((p, q))
    })();
    let Some((p, q)) = switch else {
        let m = 0.5 * (a + b);
        let lm = label(m);
        if lm != la {
            locate(label, on, a, la, m, lm, tol, out);
        }
        if lm != lb {
            locate(label, on, m, lm, b, lb, tol, out);
        }
        return;
    };
    let points = [a, 0.5 * (a + p), p, q, 0.5 * (q + b), b];
    let mut labels = [la, la, la, lb, lb, lb];
    for j in 1..5 {
        // The ends `a`, `b` of a sub-bracket may coincide with `p`, `q` (the two-piece switch at
        // an end): their labels are known.
        labels[j] = if points[j] == a {
            la
        } else if points[j] == b {
            lb
        } else {
            label(points[j])
        };
    }
    for j in 0..5 {
        if labels[j] != labels[j + 1] && points[j + 1] > points[j] {
            locate(label, on, points[j], labels[j], points[j + 1], labels[j + 1], tol, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::geometry::Sectors;

    /// Wherever `best` picks one of two pieces, `best_of_two` on that pair picks it too (the
    /// two-piece bisection walks the brackets the full one would).
    /// The pieces of a 6-point data set at an α scaled to `sup g_α = target` (the domain's edge
    /// is at 2): far inside, in the middle, close to the edge.
    fn pieces_at(target: f64) -> Pieces {
        let x = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let alpha0 = [0.3, -0.5, 0.4, -0.2, 0.35, -0.1];
        let sectors = Sectors::new(&x);
        let sup = Pieces::new(&sectors, &x, &alpha0).sup_g;
        let alpha: Vec<f64> = alpha0.iter().map(|a| a * target / sup).collect();
        Pieces::new(&sectors, &x, &alpha)
    }

    #[test]
    fn best_of_two_agrees_with_best() {
        for target in [0.1, 1.0, 1.9] {
            let p = pieces_at(target);
            let all: Vec<Candidate> = p.pieces().collect();
            for j in 0..2000 {
                let (beta, phi) = (-1.5 + 3.0 * ((j * 37) % 2000) as f64 / 2000.0, 0.01 + j as f64 * 0.0031);
                let t = direction(libm::sin(beta), libm::cos(beta), phi);
                let b = p.best(t).candidate;
                for &other in &all {
                    assert_eq!(p.best_of_two(t, b, other), b, "{t:?} {b:?} {other:?}");
                    assert_eq!(p.best_of_two(t, other, b), b, "{t:?} {b:?} {other:?}");
                }
            }
        }
    }

    /// Every interval's interior has the interval's label, on a fine check grid.
    #[test]
    fn intervals_have_one_label() {
        for target in [0.1, 1.0, 1.9] {
            let p = pieces_at(target);
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
                assert!(bad == 0, "target {target} beta {beta}: {bad} mislabeled checks, {} intervals", part.intervals.len());
            }
        }
    }
}
