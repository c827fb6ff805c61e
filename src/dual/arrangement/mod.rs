//! The exact per-source minimization for inputs in the plane (MATH §12), the two-dimensional
//! counterpart of [`crate::dual::direction`].
//!
//! A data point `(x₁, x₂)` is lifted to `x = (x₁, x₂, 1)`; a neuron is `θ = (a, w)` with
//! `w = (w₁, w₂, b)` (the bias last) and `φ(θ, x) = a (w·x)₊`. For a source `t = (a₀, w₀)`:
//!
//! `V_α(t) = min_θ Q(θ)`, `Q(θ) = |θ − t|² − a g(w)`, `g(w) = Σᵢ αᵢ (w·xᵢ)₊`.
//!
//! **The arrangement.** The planes `w·xᵢ = 0` cut `R³` into cones on which the active set
//! `S = {i : w·xᵢ > 0}` is fixed and `g(w) = w·s_S`, `s_S = Σ_{i∈S} αᵢ xᵢ`. Their faces are
//! * *cells* (open cones),
//! * *wedges*: the 2-D sectors of one plane `w·x_j = 0` between the lines where it meets the
//!   others,
//! * *rays*: those lines, `u = ±(x_j × x_k)/|x_j × x_k|`,
//! * and the origin.
//!
//! The wedges are found plane by plane (the lines through a plane sorted by angle, so that
//! three planes through one line — three collinear data points — need no special case); every
//! cell has a wedge on its boundary, so the cells are the two sides of every wedge.
//!
//! **The candidates.** On a face with span `P` (a projector) the objective is the quadratic
//! `(a − a₀)² + |w − Pw₀|² − a (w·Ps) + const`, convex iff `|Ps| < 2`, with the stationary point
//! `a = (2a₀ + Ps·Pw₀)/(2 − |Ps|²/2)`, `w = Pw₀ + (a/2) Ps` and value `|t|² − a a₀ − w·w₀`. The
//! global minimizer lies in the relative interior of some face, where it is that face's
//! stationary point (an interior minimizer needs a convex restriction). So `V_α(t)` is the
//! least value among the stationary points that lie on their own face (checked in order of
//! value), or `|w₀|²` for `w = 0`. On a ray (`P = uuᵀ`, `c = g(u)`, `p = u·w₀`,
//! `det = 1 − c²/4`) this is MATH §7's ray formula: `a = (a₀ + cp/2)/det`, `ρ = (p + c a₀/2)/det`,
//! valid for `ρ ≥ 0`.
//!
//! **The domain.** `V_α > −∞` iff `sup_{|v|=1} |g(v)| < 2` (either sign: `a` takes both). The
//! maximum of `|v·s|` over a face on the sphere is `|Ps|` when `±Ps` points into the face, and is
//! otherwise reached on a smaller face; so the supremum is the largest of those over all faces.

/// A data point lifted to `R³`, or a direction of `w`.
pub type Vec3 = [f64; 3];

/// A neuron `(a, w₁, w₂, b)`.
pub type Neuron = [f64; 4];

mod faces;

/// Relative slack of the sign tests (a stationary point on the boundary of its face belongs to
/// both sides: its value is the same from either).
const SIGN_SLACK: f64 = 1e-12;

/// Two angles closer than this are one line through a plane (collinear data points).
const SAME_ANGLE: f64 = 1e-12;

fn dot(a: &Vec3, b: &Vec3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: &Vec3, b: &Vec3) -> Vec3 {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

fn scaled(a: &Vec3, k: f64) -> Vec3 {
    [a[0] * k, a[1] * k, a[2] * k]
}

fn norm(a: &Vec3) -> f64 {
    dot(a, a).sqrt()
}

/// The points `i` on the positive side of `v` (`v·xᵢ > 0`), as a sorted list.
fn active_at(x: &[Vec3], v: &Vec3, except: Option<usize>) -> Vec<u32> {
    (0..x.len()).filter(|&i| Some(i) != except && dot(v, &x[i]) > 0.0).map(|i| i as u32).collect()
}

/// A face of the arrangement.
#[derive(Debug, Clone, PartialEq)]
struct Face {
    /// The plane `w·x_j = 0` the face lies in (wedges), none for a cell.
    plane: Option<usize>,
    /// The points active on the face (`w·xᵢ > 0`), sorted.
    active: Vec<u32>,
}

/// The faces of the arrangement of the data's planes (it depends on the data only).
#[derive(Debug, Clone)]
pub struct Arrangement {
    x: Vec<Vec3>,
    /// `|xᵢ|` (the sign tests' slack).
    x_norm: Vec<f64>,
    /// Unit directions of the rays.
    rays: Vec<Vec3>,
    /// Each ray's [`Arrangement::ray_activations`], computed once.
    ray_activation: Vec<(Vec<f64>, Vec<usize>)>,
    wedges: Vec<Face>,
    cells: Vec<Face>,
}

impl Arrangement {
    /// The arrangement of the planes of `points` (distinct points of the plane; two equal
    /// points would give one plane twice, which the data check refuses before this).
    pub fn new(points: &[[f64; 2]]) -> Arrangement {
        let x: Vec<Vec3> = points.iter().map(|p| [p[0], p[1], 1.0]).collect();
        let n = x.len();
        let mut rays = Vec::new();
        let mut wedges = Vec::new();
        for j in 0..n {
            // An orthonormal basis (e₁, e₂) of the plane w·x_j = 0.
            let normal = scaled(&x[j], 1.0 / norm(&x[j]));
            let helper = if normal[0].abs() < 0.9 { [1.0, 0.0, 0.0] } else { [0.0, 1.0, 0.0] };
            let e1 = {
                let c = cross(&normal, &helper);
                scaled(&c, 1.0 / norm(&c))
            };
            let e2 = cross(&normal, &e1);
            // The lines where the other planes meet this one, both signs, by angle.
            let mut angles: Vec<f64> = Vec::with_capacity(2 * n);
            for k in 0..n {
                if k == j {
                    continue;
                }
                let l = cross(&x[j], &x[k]);
                let (c, s) = (dot(&l, &e1), dot(&l, &e2));
                let phi = s.atan2(c);
                angles.push(phi);
                angles.push(if phi > 0.0 { phi - std::f64::consts::PI } else { phi + std::f64::consts::PI });
                if k > j {
                    let u = scaled(&l, 1.0 / norm(&l));
                    rays.push(u);
                    rays.push(scaled(&u, -1.0));
                }
            }
            angles.sort_by(f64::total_cmp);
            angles.dedup_by(|b, a| (*b - *a).abs() <= SAME_ANGLE);
            let at = |phi: f64| -> Vec3 {
                let (c, s) = (phi.cos(), phi.sin());
                [c * e1[0] + s * e2[0], c * e1[1] + s * e2[1], c * e1[2] + s * e2[2]]
            };
            if angles.is_empty() {
                // One point: the whole plane is one wedge, nothing active on it.
                wedges.push(Face { plane: Some(j), active: Vec::new() });
                continue;
            }
            for q in 0..angles.len() {
                let lo = angles[q];
                let hi = if q + 1 < angles.len() { angles[q + 1] } else { angles[0] + 2.0 * std::f64::consts::PI };
                let mid = at(0.5 * (lo + hi));
                wedges.push(Face { plane: Some(j), active: active_at(&x, &mid, Some(j)) });
            }
        }
        // Rays through three or more planes (collinear points) appear once per pair: keep one.
        rays.sort_by(|u, v| u[0].total_cmp(&v[0]).then(u[1].total_cmp(&v[1])).then(u[2].total_cmp(&v[2])));
        rays.dedup_by(|v, u| (0..3).all(|q| (u[q] - v[q]).abs() <= 1e-13));
        let mut seen = std::collections::HashSet::new();
        let mut cells: Vec<Face> = Vec::new();
        for wedge in &wedges {
            let j = wedge.plane.expect("a wedge lies in a plane") as u32;
            let without = wedge.active.clone();
            let mut with = wedge.active.clone();
            let at = with.partition_point(|&i| i < j);
            with.insert(at, j);
            for active in [with, without] {
                if seen.insert(active.clone()) {
                    cells.push(Face { plane: None, active });
                }
            }
        }
        let x_norm = x.iter().map(norm).collect();
        let mut arrangement = Arrangement { x, x_norm, rays, ray_activation: Vec::new(), wedges, cells };
        arrangement.ray_activation = arrangement.rays.iter().map(|u| arrangement.ray_activations(u)).collect();
        arrangement
    }

    /// Number of data points.
    pub fn n(&self) -> usize {
        self.x.len()
    }

    /// Numbers of rays, wedges and cells.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.rays.len(), self.wedges.len(), self.cells.len())
    }

    /// The lifted data points.
    pub fn points(&self) -> &[Vec3] {
        &self.x
    }

    /// `g(w) = Σᵢ αᵢ (w·xᵢ)₊`.
    pub fn g(&self, alpha: &[f64], w: &Vec3) -> f64 {
        self.x.iter().zip(alpha).map(|(x, a)| a * dot(w, x).max(0.0)).sum()
    }

    /// The unit directions of the arrangement's rays (both signs of each line).
    pub fn rays(&self) -> &[Vec3] {
        &self.rays
    }

    /// `sup_{|v| = 1} |g_α(v)|` and a unit `v` where it is reached (MATH §12: on each face the
    /// largest `|v·s|` is `|Ps|` when `±Ps` points into the face, else it is reached on a smaller
    /// face; the rays are checked directly). The rich limit's pricing.
    pub fn argmax_abs_g(&self, alpha: &[f64]) -> (f64, Vec3) {
        let mut best = (0.0, [0.0, 0.0, 1.0]);
        for face in self.cells.iter().chain(&self.wedges) {
            let ps = self.span_sum(face, alpha);
            let len = norm(&ps);
            if !(len > best.0) {
                continue;
            }
            for v in [ps, scaled(&ps, -1.0)] {
                if self.on_face(face, &v) {
                    best = (len, scaled(&v, 1.0 / len));
                }
            }
        }
        for u in &self.rays {
            let g = self.g(alpha, u).abs();
            if g > best.0 {
                best = (g, *u);
            }
        }
        best
    }

    /// Whether `w` has the face's signs: `w·xᵢ ≥ 0` on its active points, `≤ 0` elsewhere (up
    /// to [`SIGN_SLACK`]), the face's own plane excepted.
    fn on_face(&self, face: &Face, w: &Vec3) -> bool {
        let wn = norm(w);
        let mut next = face.active.iter().peekable();
        for (i, x) in self.x.iter().enumerate() {
            let active = next.peek().is_some_and(|&&k| k as usize == i);
            if active {
                next.next();
            }
            if Some(i) == face.plane {
                continue;
            }
            let slack = SIGN_SLACK * wn * self.x_norm[i];
            let d = dot(w, x);
            if (active && d < -slack) || (!active && d > slack) {
                return false;
            }
        }
        true
    }

    /// `v` projected onto the plane `w·x_j = 0` of `plane` (unchanged for none).
    fn project(&self, v: &Vec3, plane: Option<usize>) -> Vec3 {
        let Some(j) = plane else { return *v };
        let x = &self.x[j];
        let d = dot(v, x) / dot(x, x);
        [v[0] - d * x[0], v[1] - d * x[1], v[2] - d * x[2]]
    }

    /// `s_S = Σ_{i∈S} αᵢ xᵢ` over the points `active`.
    fn active_sum(&self, active: &[u32], alpha: &[f64]) -> Vec3 {
        let mut s = [0.0; 3];
        for &i in active {
            let (xi, a) = (&self.x[i as usize], alpha[i as usize]);
            for q in 0..3 {
                s[q] += a * xi[q];
            }
        }
        s
    }

    /// `P s_S` of a face: its active points' `Σ αᵢ xᵢ`, projected onto its plane for a wedge
    /// (`g(w) = w·Ps` for `w` on the face). Linear in `alpha`.
    fn span_sum(&self, face: &Face, alpha: &[f64]) -> Vec3 {
        let mut s = self.active_sum(&face.active, alpha);
        if let Some(j) = face.plane {
            let u = scaled(&self.x[j], 1.0 / norm(&self.x[j]));
            let d = dot(&s, &u);
            for q in 0..3 {
                s[q] -= d * u[q];
            }
        }
        s
    }

    /// `max_{w ∈ face, |w| = 1} w·v` for `v` in the face's span when `v` has the face's signs
    /// (it is then `|v|`, at `v/|v|`); 0 otherwise (the maximum is then reached on a smaller
    /// face, or is at most 0).
    fn max_on(&self, face: &Face, v: &Vec3) -> f64 {
        let len = norm(v);
        if len > 0.0 && self.on_face(face, v) { len } else { 0.0 }
    }

    /// The activations `(u·xᵢ)₊` of a ray `u`, with the points of the planes through it
    /// (`|u·xᵢ| ≤ SAME_ANGLE |xᵢ|`) at 0, and the list of those planes.
    fn ray_activations(&self, u: &Vec3) -> (Vec<f64>, Vec<usize>) {
        let mut planes = Vec::new();
        let act = (0..self.x.len())
            .map(|i| {
                let d = dot(u, &self.x[i]);
                if d.abs() <= SAME_ANGLE * norm(&self.x[i]) {
                    planes.push(i);
                    0.0
                } else {
                    d.max(0.0)
                }
            })
            .collect();
        (act, planes)
    }
}

/// Which face a minimizer lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Piece {
    /// An open cell (index into the arrangement's cells).
    Cell(u32),
    /// A wedge of one plane.
    Wedge(u32),
    /// A ray.
    Ray(u32),
    /// `w = 0`.
    Dead,
}

/// The minimizer of one source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// `θ* = (a, w₁, w₂, b)`.
    pub theta: Neuron,
    /// `V_α(t) = Q(θ*)`.
    pub value: f64,
    /// Its face.
    pub piece: Piece,
}

/// `max |w·ps|` over the face's unit vectors when `±ps` has its signs, else 0: the face's
/// candidate for `sup |g|` (module docs, "The domain").
fn abs_max_on(arrangement: &Arrangement, face: &Face, ps: &Vec3) -> f64 {
    arrangement.max_on(face, ps).max(arrangement.max_on(face, &scaled(ps, -1.0)))
}

/// A face's quadratic at one `α`: `Ps` and `1/(2 − |Ps|²/2)` (cells and wedges), or `c = g(u)`
/// and `1/(1 − c²/4)` (rays); `None` where the quadratic is not convex on the face's span.
#[derive(Debug, Clone, Copy)]
struct Quadratic {
    ps: Vec3,
    inv: f64,
}

/// A pending candidate's value and index, ordered so that a max-heap pops the least value
/// first (and of equal values the first pushed: the order of a stable sort).
#[derive(PartialEq)]
struct Lowest(f64, usize);
impl Eq for Lowest {}
impl PartialOrd for Lowest {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Lowest {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// The faces' quadratics of one `α`: [`Minimizer::best`] is `θ*_α(t)`.
#[derive(Debug, Clone)]
pub struct Minimizer<'a> {
    arrangement: Held<'a>,
    alpha: Vec<f64>,
    cells: Vec<Option<Quadratic>>,
    wedges: Vec<Option<Quadratic>>,
    rays: Vec<Option<Quadratic>>,
    /// `sup_{|v|=1} |g(v)|`.
    pub sup_abs_g: f64,
}

/// The arrangement a [`Minimizer`] works on: borrowed, or shared by the evaluations of a solve
/// (`Minimizer<'static>`, which the solver keeps with each evaluation).
#[derive(Debug, Clone)]
enum Held<'a> {
    Borrowed(&'a Arrangement),
    Shared(std::sync::Arc<Arrangement>),
}

impl std::ops::Deref for Held<'_> {
    type Target = Arrangement;
    fn deref(&self) -> &Arrangement {
        match self {
            Held::Borrowed(a) => a,
            Held::Shared(a) => a,
        }
    }
}

impl Minimizer<'static> {
    /// [`Minimizer::new`] on a shared arrangement.
    pub fn shared(arrangement: std::sync::Arc<Arrangement>, alpha: &[f64]) -> Minimizer<'static> {
        let (cells, wedges, rays, sup) = Minimizer::quadratics(&arrangement, alpha);
        Minimizer { arrangement: Held::Shared(arrangement), alpha: alpha.to_vec(), cells, wedges, rays, sup_abs_g: sup }
    }
}

/// The quadratics of the cells, wedges and rays, and `sup |g|`.
type Quadratics = (Vec<Option<Quadratic>>, Vec<Option<Quadratic>>, Vec<Option<Quadratic>>, f64);

impl<'a> Minimizer<'a> {
    /// The quadratics of every face at `alpha` (one multiplier per data point).
    pub fn new(arrangement: &'a Arrangement, alpha: &[f64]) -> Minimizer<'a> {
        let (cells, wedges, rays, sup) = Minimizer::quadratics(arrangement, alpha);
        Minimizer { arrangement: Held::Borrowed(arrangement), alpha: alpha.to_vec(), cells, wedges, rays, sup_abs_g: sup }
    }

    /// Every face's quadratic at `alpha`, and `sup |g|`.
    fn quadratics(arrangement: &Arrangement, alpha: &[f64]) -> Quadratics {
        assert_eq!(alpha.len(), arrangement.n(), "one multiplier per data point");
        let mut sup: f64 = 0.0;
        let mut quadratic = |face: &Face| -> Option<Quadratic> {
            let ps = arrangement.span_sum(face, alpha);
            sup = sup.max(abs_max_on(arrangement, face, &ps));
            let q = dot(&ps, &ps);
            (q < 4.0).then(|| Quadratic { ps, inv: 1.0 / (2.0 - 0.5 * q) })
        };
        let cells = arrangement.cells.iter().map(&mut quadratic).collect();
        let wedges = arrangement.wedges.iter().map(&mut quadratic).collect();
        let rays = arrangement
            .rays
            .iter()
            .map(|u| {
                let c = arrangement.g(alpha, u);
                sup = sup.max(c.abs());
                (c.abs() < 2.0).then(|| Quadratic { ps: [c, 0.0, 0.0], inv: 1.0 / (1.0 - 0.25 * c * c) })
            })
            .collect();
        (cells, wedges, rays, sup)
    }

    /// `V_α > −∞` everywhere: `sup |g| < 2` on the unit sphere.
    pub fn in_domain(&self) -> bool {
        self.sup_abs_g < 2.0
    }

    /// The stationary point of a cell's or wedge's quadratic for source `t`.
    fn stationary(&self, q: &Quadratic, plane: Option<usize>, t: &Neuron) -> (Neuron, f64) {
        let (a0, w0) = (t[0], [t[1], t[2], t[3]]);
        let pw0 = self.arrangement.project(&w0, plane);
        let qu = dot(&q.ps, &pw0);
        let a = (2.0 * a0 + qu) * q.inv;
        let w = [pw0[0] + 0.5 * a * q.ps[0], pw0[1] + 0.5 * a * q.ps[1], pw0[2] + 0.5 * a * q.ps[2]];
        // Q = |w₀ − Pw₀|² − (a₀²|u|² + 4a₀ u·Pw₀ + (u·Pw₀)²)/(4 − |u|²), `u = Ps`: without the
        // cancellation of `|t|² − a a₀ − w·Pw₀` (terms of order |t|² for a value of order |u|,
        // which at τ = 100 made D's round-off a hundred times its estimate).
        let r: Vec3 = std::array::from_fn(|k| w0[k] - pw0[k]);
        let u2 = dot(&q.ps, &q.ps);
        let value = dot(&r, &r) - (a0 * a0 * u2 + 4.0 * a0 * qu + qu * qu) * (0.5 * q.inv);
        ([a, w[0], w[1], w[2]], value)
    }

    /// The stationary point `(a, ρu)` of the ray's quadratic `(a − a₀)² + (ρ − p)² − a ρ c` over
    /// the whole line `w = ρu` (`ρ` of either sign) for source `t`, its value and `ρ`.
    fn ray_point(&self, q: &Quadratic, u: &Vec3, t: &Neuron) -> (Neuron, f64, f64) {
        let (a0, c) = (t[0], q.ps[0]);
        let p = u[0] * t[1] + u[1] * t[2] + u[2] * t[3];
        let a = (a0 + 0.5 * c * p) * q.inv;
        let rho = (p + 0.5 * c * a0) * q.inv;
        // Q = |u × w₀|² − ((c²/4)(a₀² + p²) + c a₀ p)/(1 − c²/4), without cancellation.
        let off = cross(u, &[t[1], t[2], t[3]]);
        let value = dot(&off, &off) - (0.25 * c * c * (a0 * a0 + p * p) + c * a0 * p) * q.inv;
        ([a, rho * u[0], rho * u[1], rho * u[2]], value, rho)
    }

    /// The ray's stationary point (`ρ ≥ 0` required) for source `t`.
    fn on_ray(&self, q: &Quadratic, u: &Vec3, t: &Neuron) -> Option<(Neuron, f64)> {
        let (theta, value, rho) = self.ray_point(q, u, t);
        (rho >= 0.0).then_some((theta, value))
    }

    /// `θ*_α(t)` and `V_α(t)`: the least stationary point that lies on its own face. Requires
    /// [`Self::in_domain`] (outside it `V = −∞` and no minimizer exists).
    pub fn best(&self, t: &Neuron) -> Choice {
        let arr: &Arrangement = &self.arrangement;
        let w0 = [t[1], t[2], t[3]];
        let mut best = Choice { theta: [t[0], 0.0, 0.0, 0.0], value: dot(&w0, &w0), piece: Piece::Dead };
        for (k, q) in self.rays.iter().enumerate() {
            if let Some(q) = q {
                if let Some((theta, value)) = self.on_ray(q, &arr.rays[k], t) {
                    if value < best.value {
                        best = Choice { theta, value, piece: Piece::Ray(k as u32) };
                    }
                }
            }
        }
        // Cells and wedges: every stationary point below the best so far, then the faces checked
        // in order of value (a check costs O(n), a stationary point O(1)), from a heap: the first
        // few are usually enough, and sorting them all was a quarter of a path's time.
        let mut pending: Vec<(f64, Neuron, Piece)> = Vec::new();
        for (k, q) in self.cells.iter().enumerate() {
            if let Some(q) = q {
                let (theta, value) = self.stationary(q, None, t);
                if value < best.value {
                    pending.push((value, theta, Piece::Cell(k as u32)));
                }
            }
        }
        for (k, q) in self.wedges.iter().enumerate() {
            if let Some(q) = q {
                let (theta, value) = self.stationary(q, arr.wedges[k].plane, t);
                if value < best.value {
                    pending.push((value, theta, Piece::Wedge(k as u32)));
                }
            }
        }
        let mut order: std::collections::BinaryHeap<Lowest> = pending.iter().enumerate().map(|(i, p)| Lowest(p.0, i)).collect();
        while let Some(Lowest(value, i)) = order.pop() {
            if value >= best.value {
                break;
            }
            let (_, theta, piece) = pending[i];
            let face = match piece {
                Piece::Cell(k) => &arr.cells[k as usize],
                Piece::Wedge(k) => &arr.wedges[k as usize],
                _ => unreachable!("only cells and wedges are pending"),
            };
            if arr.on_face(face, &[theta[1], theta[2], theta[3]]) {
                best = Choice { theta, value, piece };
                break;
            }
        }
        best
    }

    /// `Q(θ) = |θ − t|² − a g(w)` at any `θ` (for checks).
    pub fn objective(&self, t: &Neuron, theta: &Neuron) -> f64 {
        let d: f64 = (0..4).map(|k| (theta[k] - t[k]).powi(2)).sum();
        d - theta[0] * self.arrangement.g(&self.alpha, &[theta[1], theta[2], theta[3]])
    }
}

/// The dual of the discrete problem with sources `t_p` of weights `ω_p` (MATH §6, λ = 0):
/// `D(α) = ⟨α, y⟩ + τ² Σ_p ω_p V_α(t_p)` and `∇D = y − f(X)`,
/// `f(xᵢ) = τ² Σ_p ω_p a*_p (w*_p·xᵢ)₊`. `None` outside the domain.
pub fn dual(arrangement: &Arrangement, y: &[f64], alpha: &[f64], tau: f64, sources: &[Neuron], weights: &[f64]) -> Option<(f64, Vec<f64>)> {
    let minimizer = Minimizer::new(arrangement, alpha);
    if !minimizer.in_domain() {
        return None;
    }
    let tau2 = tau * tau;
    let mut d: f64 = alpha.iter().zip(y).map(|(a, y)| a * y).sum();
    let mut grad = y.to_vec();
    for (t, w) in sources.iter().zip(weights) {
        let c = minimizer.best(t);
        d += tau2 * w * c.value;
        let wv = [c.theta[1], c.theta[2], c.theta[3]];
        for (g, x) in grad.iter_mut().zip(arrangement.points()) {
            *g -= tau2 * w * c.theta[0] * dot(&wv, x).max(0.0);
        }
    }
    Some((d, grad))
}
