//! Each piece of `G_α` as a linear map `θ*(t) = L_c t` (MATH §7), so that every integrand of
//! the dual is a quadratic form in the direction `t`:
//!
//! * interior of sector `k` (`v = (A_k, B_k)/2`, `d = 1 − |v|²`):
//!   `L = [[1/d, vᵀ/d], [v/d, I + v vᵀ/d]]`;
//! * boundary ray `r` (unit `e`, `c = Σ α_i (e·x̃_i)₊`, `det = 1 − c²/4`):
//!   `a = (t_a + c p/2)/det`, `ρ = (p + c t_a/2)/det`, `p = e·t_u`, `θ = (a, ρe)`;
//! * the dead neuron: `L = diag(1, 0, 0)`.
//!
//! All three are symmetric. On a piece, `V = Q(θ*) = |t|² − tᵀθ* = tᵀ(I − L)t` and the cost
//! `|θ* − t|² = tᵀ(L − I)²t`; `∫ θ*θ*ᵀ = L (∫ t tᵀ) L`.

use crate::dual::direction::{Candidate, Pieces};

/// A symmetric 3×3 matrix stored as `(aa, aw, ab, ww, wb, bb)`.
pub type Sym = [f64; 6];

/// Full 3×3 matrix.
pub type Mat = [[f64; 3]; 3];

/// The number of a piece: sectors `0..s`, rays `s..2s`, the dead neuron `2s` (the order of
/// [`Pieces::pieces`]).
pub fn code(piece: Candidate, s: usize) -> usize {
    match piece {
        Candidate::Interior(k) => k as usize,
        Candidate::Ray(r) => s + r as usize,
        Candidate::Dead => 2 * s,
    }
}

/// The piece of number `code` ([`code`]'s inverse).
pub fn piece_of(code: usize, s: usize) -> Candidate {
    if code < s {
        Candidate::Interior(code as u32)
    } else if code < 2 * s {
        Candidate::Ray((code - s) as u32)
    } else {
        Candidate::Dead
    }
}

/// `L_c − I` of a piece (written without cancellation where `L ≈ I`), or `None` when the piece
/// is unbounded below (`|v| ≥ 1`, `|c| ≥ 2`).
pub fn map_minus_identity(pieces: &Pieces, piece: Candidate) -> Option<Mat> {
    match piece {
        Candidate::Interior(k) => {
            let k = k as usize;
            let inv = pieces.inv_d[k];
            if inv == 0.0 {
                return None;
            }
            let v = pieces.v[k];
            let v2 = v[0] * v[0] + v[1] * v[1];
            Some([
                [v2 * inv, v[0] * inv, v[1] * inv],
                [v[0] * inv, v[0] * v[0] * inv, v[0] * v[1] * inv],
                [v[1] * inv, v[0] * v[1] * inv, v[1] * v[1] * inv],
            ])
        }
        Candidate::Ray(r) => {
            let r = r as usize;
            let inv = pieces.inv_det[r];
            if inv == 0.0 {
                return None;
            }
            let (c, e) = (pieces.c[r], pieces.ray[r]);
            let h = 0.5 * c * inv;
            // a = inv t_a + h p, ρ = h t_a + inv p, θ_u = ρ e.
            Some([
                [inv - 1.0, h * e[0], h * e[1]],
                [h * e[0], inv * e[0] * e[0] - 1.0, inv * e[0] * e[1]],
                [h * e[1], inv * e[0] * e[1], inv * e[1] * e[1] - 1.0],
            ])
        }
        Candidate::Dead => Some([[0.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]]),
    }
}

/// `M + I`.
pub fn plus_identity(m: &Mat) -> Mat {
    let mut l = *m;
    for (i, row) in l.iter_mut().enumerate() {
        row[i] += 1.0;
    }
    l
}

/// The full matrix of a [`Sym`].
pub fn full(s: &Sym) -> Mat {
    [[s[0], s[1], s[2]], [s[1], s[3], s[4]], [s[2], s[4], s[5]]]
}

/// `tr(A S)` for symmetric `A` and `S`.
pub fn trace_product(a: &Mat, s: &Sym) -> f64 {
    a[0][0] * s[0] + a[1][1] * s[3] + a[2][2] * s[5] + 2.0 * (a[0][1] * s[1] + a[0][2] * s[2] + a[1][2] * s[4])
}

/// `A S Aᵀ` for symmetric `S`.
pub fn congruence(a: &Mat, s: &Sym) -> Sym {
    let f = full(s);
    let mut as_ = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            as_[i][j] = a[i][0] * f[0][j] + a[i][1] * f[1][j] + a[i][2] * f[2][j];
        }
    }
    let e = |i: usize, j: usize| as_[i][0] * a[j][0] + as_[i][1] * a[j][1] + as_[i][2] * a[j][2];
    [e(0, 0), e(0, 1), e(0, 2), e(1, 1), e(1, 2), e(2, 2)]
}

/// `A B` of 3×3 matrices.
pub fn product(a: &Mat, b: &Mat) -> Mat {
    let mut p = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            p[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
        }
    }
    p
}

/// `∫ t tᵀ dϕ` over `[lo, hi]` for `t = (sin β, cos β cos ϕ, cos β sin ϕ)` (`sb`, `cb` given),
/// in closed form, written with half-angle products so that short intervals lose nothing.
pub fn moments(sb: f64, cb: f64, lo: f64, hi: f64) -> Sym {
    let d = hi - lo;
    let m = 0.5 * (hi + lo);
    let (sh, ch) = (libm::sin(0.5 * d), libm::cos(0.5 * d));
    let (sm, cm) = (libm::sin(m), libm::cos(m));
    let (s2, s2m, c2m) = (2.0 * sh * ch, 2.0 * sm * cm, (cm - sm) * (cm + sm));
    // ∫cos = 2 cos m sin(d/2); ∫sin = 2 sin m sin(d/2); ∫cos² = d/2 + cos 2m sin d / 2;
    // ∫ sin cos = sin 2m sin d / 2; ∫ sin² = d/2 − cos 2m sin d / 2.
    let (ic, is) = (2.0 * cm * sh, 2.0 * sm * sh);
    let icc = 0.5 * d + 0.5 * c2m * s2;
    let isc = 0.5 * s2m * s2;
    let iss = 0.5 * d - 0.5 * c2m * s2;
    [sb * sb * d, sb * cb * ic, sb * cb * is, cb * cb * icc, cb * cb * isc, cb * cb * iss]
}

/// `u·(∫ t tᵀ)·v` helper: `uᵀ S v` for a [`Sym`].
pub fn bilinear(u: &[f64; 3], s: &Sym, v: &[f64; 3]) -> f64 {
    let f = full(s);
    let mut acc = 0.0;
    for i in 0..3 {
        for j in 0..3 {
            acc += u[i] * f[i][j] * v[j];
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::geometry::Sectors;

    #[test]
    fn maps_match_the_minimizer() {
        let x = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let alpha = [0.3, -0.5, 0.4, -0.2, 0.35, -0.1];
        let sectors = Sectors::new(&x);
        let p = Pieces::new(&sectors, &x, &alpha);
        let t = [0.3, -0.7, 0.4];
        for piece in p.pieces() {
            let Some((choice, _)) = p.on_piece(t, piece) else { continue };
            let l = plus_identity(&map_minus_identity(&p, piece).unwrap());
            for i in 0..3 {
                let th = l[i][0] * t[0] + l[i][1] * t[1] + l[i][2] * t[2];
                assert!((th - choice.theta[i]).abs() < 1e-13, "{piece:?}");
            }
            let tt = [t[0] * t[0], t[0] * t[1], t[0] * t[2], t[1] * t[1], t[1] * t[2], t[2] * t[2]];
            let lm = map_minus_identity(&p, piece).unwrap();
            let neg = lm.map(|r| r.map(|v| -v));
            assert!((trace_product(&neg, &tt) - choice.value).abs() < 1e-13, "{piece:?}");
            assert!((trace_product(&product(&lm, &lm), &tt) - choice.cost).abs() < 1e-13, "{piece:?}");
        }
    }

    #[test]
    fn moments_match_a_fine_sum() {
        let (sb, cb) = (0.6, 0.8);
        let (lo, hi) = (0.3, 2.1);
        let m = moments(sb, cb, lo, hi);
        let k = 200_000;
        let mut s = [0.0; 6];
        for j in 0..k {
            let ph = lo + (hi - lo) * (j as f64 + 0.5) / k as f64;
            let t = [sb, cb * ph.cos(), cb * ph.sin()];
            let tt = [t[0] * t[0], t[0] * t[1], t[0] * t[2], t[1] * t[1], t[1] * t[2], t[2] * t[2]];
            for q in 0..6 {
                s[q] += tt[q] * (hi - lo) / k as f64;
            }
        }
        for q in 0..6 {
            assert!((s[q] - m[q]).abs() < 1e-9, "{q}: {} vs {}", s[q], m[q]);
        }
    }
}
