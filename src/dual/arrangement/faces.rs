//! What the solver needs of one face of the arrangement at one `α`, beyond the minimizer
//! ([`Minimizer::best`]): every convex face, a face's stationary point valid or not, the
//! first-order test of a local minimum, a lower bound of a source's nearest tie, a face's
//! curvature `−∂²(mV_face)/∂α²`, and how far the domain reaches along a direction (MATH §12).

use super::*;

/// Relative slack of the first-order tests of [`Minimizer::is_local_min`]: a slope above
/// `−LOCAL_SLACK` times the size of its terms counts as not decreasing.
const LOCAL_SLACK: f64 = 1e-12;

impl Minimizer<'_> {
    /// Every face whose quadratic is convex at this `α` (`|Ps| < 2` for cells and wedges,
    /// `|g(u)| < 2` for rays), then [`Piece::Dead`]: the pieces of [`Self::on_piece`].
    pub fn pieces(&self) -> impl Iterator<Item = Piece> + '_ {
        fn convex(quadratics: &[Option<Quadratic>]) -> impl Iterator<Item = u32> + '_ {
            quadratics.iter().enumerate().filter(|(_, q)| q.is_some()).map(|(k, _)| k as u32)
        }
        convex(&self.cells)
            .map(Piece::Cell)
            .chain(convex(&self.wedges).map(Piece::Wedge))
            .chain(convex(&self.rays).map(Piece::Ray))
            .chain(std::iter::once(Piece::Dead))
    }

    /// The stationary point of `piece`'s quadratic for source `t` and its value, whether or not
    /// it lies on its own face, and whether it does (is valid): a cell's or wedge's when its `w`
    /// has the face's signs, a ray's when `ρ ≥ 0`. For a ray with `ρ < 0` the point `(a, ρu)` is
    /// the stationary point over the whole line `w = ρu` and the value is that of the ray's
    /// quadratic there, not `Q` (it lies on the opposite ray, whose quadratic differs). The dead
    /// neuron is `(a₀, 0)` with value `|w₀|²`, always valid. `None` when the quadratic is not
    /// convex (the pieces [`Self::pieces`] leaves out). For the piece [`Self::best`] chooses this
    /// is the same `θ` and value (the same arithmetic), valid.
    pub fn on_piece(&self, t: &Neuron, piece: Piece) -> Option<(Choice, bool)> {
        let arr: &Arrangement = &self.arrangement;
        let (theta, value, valid) = match piece {
            Piece::Cell(k) | Piece::Wedge(k) => {
                let (face, q) = match piece {
                    Piece::Cell(_) => (&arr.cells[k as usize], self.cells[k as usize]?),
                    _ => (&arr.wedges[k as usize], self.wedges[k as usize]?),
                };
                let (theta, value) = self.stationary(&q, face.plane, t);
                (theta, value, arr.on_face(face, &[theta[1], theta[2], theta[3]]))
            }
            Piece::Ray(k) => {
                let q = self.rays[k as usize]?;
                let (theta, value, rho) = self.ray_point(&q, &arr.rays[k as usize], t);
                (theta, value, rho >= 0.0)
            }
            Piece::Dead => {
                let w0 = [t[1], t[2], t[3]];
                ([t[0], 0.0, 0.0, 0.0], dot(&w0, &w0), true)
            }
        };
        Some((Choice { theta, value, piece }, valid))
    }

    /// A lower bound of source `t`'s nearest tie distance `min_c (Q_c − Q_best)/|φ(θ_c, X) −
    /// φ(θ_best, X)|` over its valid pieces `c ≠ best` (`∞` when there is no other piece), in
    /// `O(1)` per face with no validity check: every face's stationary point counts, valid or
    /// not (a smaller set's minimum is not below it) — except those below the best's value, which
    /// [`Self::best`] would have taken were they valid — and
    /// `|Δφ| ≤ (|a_c||w_c| + |a_b||w_b|)·|X|` (Cauchy–Schwarz, `|X|² = Σᵢ |xᵢ|²`); shortened by a
    /// relative 1e-9 for round-off.
    pub fn tie_bound(&self, t: &Neuron, best: &Choice) -> f64 {
        let arr: &Arrangement = &self.arrangement;
        let x_norm = arr.x_norm.iter().map(|v| v * v).sum::<f64>().sqrt();
        let size = |th: &Neuron| th[0].abs() * (th[1] * th[1] + th[2] * th[2] + th[3] * th[3]).sqrt();
        let best_size = size(&best.theta);
        let mut bound = f64::INFINITY;
        let mut consider = |piece: Piece, theta: &Neuron, value: f64| {
            if piece == best.piece || value < best.value {
                return;
            }
            let reach = (size(theta) + best_size) * x_norm;
            let d = (value - best.value) / reach.max(f64::MIN_POSITIVE);
            bound = bound.min(d);
        };
        for (k, q) in self.cells.iter().enumerate() {
            if let Some(q) = q {
                let (theta, value) = self.stationary(q, None, t);
                consider(Piece::Cell(k as u32), &theta, value);
            }
        }
        for (k, q) in self.wedges.iter().enumerate() {
            if let Some(q) = q {
                let (theta, value) = self.stationary(q, arr.wedges[k].plane, t);
                consider(Piece::Wedge(k as u32), &theta, value);
            }
        }
        for (k, q) in self.rays.iter().enumerate() {
            if let Some(q) = q {
                let (theta, value, _) = self.ray_point(q, &arr.rays[k], t);
                consider(Piece::Ray(k as u32), &theta, value);
            }
        }
        let w0 = [t[1], t[2], t[3]];
        consider(Piece::Dead, &[t[0], 0.0, 0.0, 0.0], dot(&w0, &w0));
        bound * (1.0 - 1e-9)
    }

    /// Is the valid stationary point `choice` (of [`Self::on_piece`]) a local minimizer of
    /// `Q(θ) = |θ − t|² − a g(w)`? First-order test: at a face's stationary point `∂Q/∂a = 0` and
    /// `Q` is stationary along the face's span, where it is strictly convex; it is a local minimum
    /// iff the one-sided slope `Q'(θ; δw) = δw·r − a Σ_{i∈Z} αᵢ (δw·xᵢ)₊` is `≥ 0` for every `δw`,
    /// with `r = 2(w − w₀) − a s_S`, `S` the points active on the face and `Z` those of its planes
    /// (a zero slope is counted as not decreasing; slopes within [`LOCAL_SLACK`] of the size of
    /// their terms are zero). By face:
    /// * a cell: always (`r = 0`, `Z` empty);
    /// * a wedge of plane `j` (`n = x_j/|x_j|`, `r ∥ n`): `−r·n ≥ 0` (into the cell without `j`)
    ///   and `r·n − a αⱼ|xⱼ| ≥ 0` (into the cell with `j`);
    /// * a ray `u` with `ρ > 0` (`r ⊥ u`; the slope depends on `δw`'s part in `u^⊥`, where the
    ///   planes of `Z` cut sectors of angle `< π` on which it is linear): the slope `≥ 0` along
    ///   both directions `±(u × xᵢ)/|u × xᵢ|` of every plane `i ∈ Z`, i.e. into every adjacent
    ///   wedge;
    /// * `w = 0` (the dead neuron, or any face's point there; then `a = a₀`): the slope is
    ///   `−h(δw)`, `h(v) = 2w₀·v + a₀ g(v)`, so `max_{|v|=1} h(v) ≤ 0`; on a face of span `P`,
    ///   `h(v) = v·z`, `z = 2Pw₀ + a₀Ps`, whose maximum over the face's unit vectors is `|z|` when
    ///   `z` has the face's signs and is otherwise reached on a smaller face — the largest over
    ///   cells, wedges and rays (`h(u)`) is `max h` (as for `sup |g|`).
    pub fn is_local_min(&self, t: &Neuron, choice: &Choice) -> bool {
        let arr: &Arrangement = &self.arrangement;
        let (a, w, w0) = (choice.theta[0], [choice.theta[1], choice.theta[2], choice.theta[3]], [t[1], t[2], t[3]]);
        if choice.piece == Piece::Dead || w == [0.0; 3] {
            return self.dead_is_local_min(t);
        }
        // r = 2(w − w₀) − a s_S and the size of the slope's terms.
        let r_of = |s: &Vec3| -> Vec3 { std::array::from_fn(|q| 2.0 * (w[q] - w0[q]) - a * s[q]) };
        let size = |s: &Vec3, on_planes: f64| 2.0 * (norm(&w) + norm(&w0)) + a.abs() * (norm(s) + on_planes);
        match choice.piece {
            Piece::Cell(_) | Piece::Dead => true,
            Piece::Wedge(k) => {
                let face = &arr.wedges[k as usize];
                let Some(j) = face.plane else { return true };
                let s = arr.active_sum(&face.active, &self.alpha);
                let (r, xn) = (r_of(&s), norm(&arr.x[j]));
                let rn = dot(&r, &arr.x[j]) / xn;
                let on_plane = a * self.alpha[j] * xn;
                let slack = LOCAL_SLACK * size(&s, on_plane.abs());
                -rn >= -slack && rn - on_plane >= -slack
            }
            Piece::Ray(k) => {
                let u = &arr.rays[k as usize];
                let (act, planes) = &arr.ray_activation[k as usize];
                let mut s = [0.0; 3];
                for (i, &g) in act.iter().enumerate() {
                    if g > 0.0 {
                        for q in 0..3 {
                            s[q] += self.alpha[i] * arr.x[i][q];
                        }
                    }
                }
                let r = r_of(&s);
                let on_planes: f64 = planes.iter().map(|&i| (self.alpha[i] * norm(&arr.x[i])).abs()).sum();
                let slack = LOCAL_SLACK * size(&s, on_planes);
                let slope = |d: &Vec3| dot(d, &r) - a * planes.iter().map(|&l| self.alpha[l] * dot(d, &arr.x[l]).max(0.0)).sum::<f64>();
                planes.iter().all(|&i| {
                    let e = cross(u, &arr.x[i]);
                    let e = scaled(&e, 1.0 / norm(&e));
                    slope(&e) >= -slack && slope(&scaled(&e, -1.0)) >= -slack
                })
            }
        }
    }

    /// The dead neuron's test of [`Self::is_local_min`]: `max_{|v|=1} 2w₀·v + a₀ g(v) ≤ 0`.
    fn dead_is_local_min(&self, t: &Neuron) -> bool {
        let arr: &Arrangement = &self.arrangement;
        let (a0, w0) = (t[0], [t[1], t[2], t[3]]);
        let reach: f64 = arr.x.iter().zip(&self.alpha).map(|(x, al)| (al * norm(x)).abs()).sum();
        let slack = LOCAL_SLACK * (2.0 * norm(&w0) + a0.abs() * reach);
        let faces = arr.cells.iter().chain(&arr.wedges).all(|face| {
            let (pw0, ps) = (arr.project(&w0, face.plane), arr.span_sum(face, &self.alpha));
            let z: Vec3 = std::array::from_fn(|q| 2.0 * pw0[q] + a0 * ps[q]);
            arr.max_on(face, &z) <= slack
        });
        faces && arr.rays.iter().all(|u| 2.0 * dot(&w0, u) + a0 * arr.g(&self.alpha, u) <= slack)
    }

    /// `J_c = ∂(m φ(θ_c(α), X))/∂α`, row-major `n × n`: `θ_c(α)` is the stationary point of
    /// `choice`'s face (held fixed) as a function of `α`, `φ(θ, xᵢ) = a (w·xᵢ)₊`, and the active
    /// points are the face's: `S` (`w·xᵢ > 0` on the face); the points of its planes have
    /// `w·xᵢ = 0` on the whole face, so their rows are 0 (as the 1-D ray's activations
    /// `(e·x̃ᵢ)₊`). It depends on `t` only through `θ_c`. With `P` the face's projector (cells
    /// `I`, wedges of plane `j` `I − nnᵀ`), `u = Ps_S`, `D = 2 − |u|²/2`, `yᵢ = Pxᵢ`:
    /// `da = z·du/D`, `dw = (u/2) da + (a/2) du`, `du = Σ_{k∈S} yₖ dαₖ`, `z = Pw₀ + a u = w + (a/2)u`, so
    ///
    /// `J_ik = m [(z·yᵢ)(z·yₖ)/D + (a²/2) yᵢ·yₖ]`, `i, k ∈ S`.
    ///
    /// On a ray `u` (`P = uuᵀ`, `yᵢ = γᵢ u`, `γᵢ = (u·xᵢ)₊`, `c = g(u)`, `w = ρu`) this is
    /// `J_ik = m γᵢγₖ (ρ² + a² + c a ρ)/(2(1 − c²/4))` (the 1-D ray's). The dead neuron's is 0.
    /// `J_c = −∂²(m V_c)/∂α²` (`∂V_c/∂αᵢ = −φ(θ_c, xᵢ)`): symmetric, and positive semi-definite
    /// where the face's quadratic is convex.
    pub fn curvature(&self, choice: &Choice, m: f64) -> Vec<f64> {
        let arr: &Arrangement = &self.arrangement;
        let n = arr.n();
        let mut j = vec![0.0; n * n];
        let (a, w) = (choice.theta[0], [choice.theta[1], choice.theta[2], choice.theta[3]]);
        match choice.piece {
            Piece::Dead => {}
            Piece::Cell(k) | Piece::Wedge(k) => {
                let face = if let Piece::Cell(_) = choice.piece { &arr.cells[k as usize] } else { &arr.wedges[k as usize] };
                let u = arr.span_sum(face, &self.alpha);
                let inv = 1.0 / (2.0 - 0.5 * dot(&u, &u));
                let z: Vec3 = std::array::from_fn(|q| w[q] + 0.5 * a * u[q]);
                let y: Vec<(usize, Vec3)> = face.active.iter().map(|&i| (i as usize, arr.project(&arr.x[i as usize], face.plane))).collect();
                let zy: Vec<f64> = y.iter().map(|(_, yi)| dot(&z, yi)).collect();
                for (p, (i, yi)) in y.iter().enumerate() {
                    for (q, (l, yl)) in y.iter().enumerate() {
                        j[i * n + l] = m * (zy[p] * zy[q] * inv + 0.5 * a * a * dot(yi, yl));
                    }
                }
            }
            Piece::Ray(k) => {
                let u = &arr.rays[k as usize];
                let (act, _) = &arr.ray_activation[k as usize];
                let c = arr.g(&self.alpha, u);
                let rho = dot(&w, u);
                let k2 = 0.5 * m * (rho * rho + a * a + c * a * rho) / (1.0 - 0.25 * c * c);
                for (i, gi) in act.iter().enumerate() {
                    for (l, gl) in act.iter().enumerate() {
                        j[i * n + l] = k2 * (gi * gl);
                    }
                }
            }
        }
        j
    }

    /// The largest `t ≥ 0` with `α + t d` in the domain (`sup |g| < 2`), `∞` for `d = 0` (0 when
    /// `α` is not in it). `Ps` of every face and `g(u)` of every ray are linear along the line,
    /// `σ(t) = sup |g_{α+td}|` is convex and `|σ(t) − t σ_d| ≤ σ(0)` (`σ_d = sup |g_d|`), so the
    /// limit lies in `[(2 − σ(0))/σ_d, (2 + σ(0))/σ_d]`: bisection there to a relative `10⁻¹⁵`.
    pub fn domain_limit(&self, d: &[f64]) -> f64 {
        assert_eq!(d.len(), self.alpha.len(), "one component per data point");
        let arr: &Arrangement = &self.arrangement;
        let faces: Vec<(&Face, Vec3, Vec3)> =
            arr.cells.iter().chain(&arr.wedges).map(|f| (f, arr.span_sum(f, &self.alpha), arr.span_sum(f, d))).collect();
        let rays: Vec<(f64, f64)> = arr.rays.iter().map(|u| (arr.g(&self.alpha, u), arr.g(d, u))).collect();
        let sup = |base: f64, t: f64| -> f64 {
            let f = faces.iter().map(|(face, s0, s1)| abs_max_on(arr, face, &std::array::from_fn(|q| base * s0[q] + t * s1[q])));
            let r = rays.iter().map(|(c0, c1)| (base * c0 + t * c1).abs());
            f.chain(r).fold(0.0, f64::max)
        };
        let (sigma, sigma_d) = (self.sup_abs_g, sup(0.0, 1.0));
        if !self.in_domain() {
            return 0.0;
        }
        if sigma_d == 0.0 {
            return f64::INFINITY;
        }
        let (mut lo, mut hi) = ((2.0 - sigma) / sigma_d, (2.0 + sigma) / sigma_d);
        // The ends up to round-off: an upper end found inside is moved out, a lower end found
        // outside is replaced by 0.
        while hi.is_finite() && sup(1.0, hi) < 2.0 {
            hi *= 2.0;
        }
        if !hi.is_finite() {
            return f64::INFINITY;
        }
        if !(sup(1.0, lo) < 2.0) {
            lo = 0.0;
        }
        while hi - lo > 1e-15 * hi {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if sup(1.0, mid) < 2.0 { lo = mid } else { hi = mid }
        }
        lo
    }
}
