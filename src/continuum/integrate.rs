//! Integration of `ν0` over the directions, piece by piece (MATH §11 "Design").
//!
//! With `t = (sin β, cos β cos ϕ, cos β sin ϕ)` and `dν0 = ρ(β) dβ dϕ`, every integrand of the
//! dual on a piece `c` is a quadratic form in `t` (see `piece_map`), so over an interval of `ϕ`
//! on which the minimizer stays on `c` ([`super::envelope`]) the `ϕ`-integral is exact in
//! closed form: it needs only `∫ t tᵀ dϕ`. The moments are summed per piece.
//!
//! Across `β` the `ϕ`-integral is only piecewise smooth (it breaks where two envelope roots
//! meet, with square-root behaviour), so `β` is integrated by adaptive Gauss–Kronrod (7/15
//! points): the panel with the largest `|K₁₅ − G₇|` (on `D`, `f(X)` and the cost) is halved
//! until their sum is below the tolerance. `Σ |K₁₅ − G₇|` is the reported error estimate.

use super::envelope::{Change, Circle, EnvelopeSettings, Interval, partition_on};
use super::piece_map::{Mat, Sym, code, congruence, map_minus_identity, plus_identity, product, trace_product};
use crate::dual::direction::{Candidate, Pieces};
use crate::network::geometry::Sectors;
use std::collections::BTreeMap;
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// Kronrod nodes on `[0, 1]` (the 15-point rule is symmetric; index 7 is the centre).
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Kronrod weights.
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_2,
    0.140_653_259_715_525_9,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_8,
];
/// Gauss weights of the embedded 7-point rule, at the Kronrod nodes 1, 3, 5, 7.
const WG: [f64; 4] = [0.129_484_966_168_869_7, 0.279_705_391_489_276_7, 0.381_830_050_505_118_9, 0.417_959_183_673_469_4];

/// How `ν0` is spread over `β` (the `ϕ` part is uniform for every supported law).
#[derive(Debug, Clone, PartialEq)]
pub enum BetaLaw {
    /// `dν0 = scale · cos β dβ dϕ` on `[−π/2, π/2] × [0, 2π)` (Gaussian: `3/(4π)`; sphere:
    /// `1/(4π)`).
    Continuous {
        /// `mass/(4π)`.
        scale: f64,
    },
    /// `dν0 = Σ_j w_j δ(β − β_j) dϕ` (balanced: `β = ±π/4`, `w = mass/(4π)` each).
    Discrete(Vec<(f64, f64)>),
}

impl BetaLaw {
    /// The law of `init::Law`, or `None` for `uniform-kinks` (its `ϕ` density, `sec²ϕ` on two
    /// arcs, breaks the closed forms; not supported).
    pub fn of(law: crate::network::init::Law) -> Option<BetaLaw> {
        use crate::network::init::Law;
        let scale = law.mass() / (4.0 * PI);
        match law {
            Law::Gaussian | Law::Sphere => Some(BetaLaw::Continuous { scale }),
            Law::Balanced => Some(BetaLaw::Discrete(vec![(-FRAC_PI_4, scale), (FRAC_PI_4, scale)])),
            Law::UniformKinks => None,
        }
    }
}

/// Accuracy and effort of the integration.
#[derive(Debug, Clone, Copy)]
pub struct IntegrationSettings {
    /// Target of `Σ |K₁₅ − G₇|` on `D`, each `f(x_i)` and the cost (absolute, τ² included).
    pub tolerance: f64,
    /// Panels of the first pass in `β`. Sixteen, not eight: with eight, next to the domain's
    /// edge one panel's 15-point and 7-point rules can agree by chance far from the integral, so
    /// that the error estimate misses the error (measured against an independent integration:
    /// docs/SOLVER.md, "Measured choices").
    pub initial_panels: usize,
    /// Cap on panels.
    pub max_panels: usize,
    /// The envelope along `ϕ`.
    pub envelope: EnvelopeSettings,
}

impl Default for IntegrationSettings {
    fn default() -> IntegrationSettings {
        IntegrationSettings { tolerance: 1e-9, initial_panels: 16, max_panels: 400, envelope: EnvelopeSettings { samples: 64, phi_tol: 1e-10 } }
    }
}

/// A tie between two pieces at one node: where the integrand of `f(X)` jumps.
#[derive(Debug, Clone, Copy)]
pub struct Tie {
    /// Piece numbers before and after.
    pub from: usize,
    /// See `from`.
    pub to: usize,
    /// `z` of the two minimizers (their `φ` over the data is `z·u` of their piece).
    pub z_from: [f64; 2],
    /// See `z_from`.
    pub z_to: [f64; 2],
    /// `ρ(β) / ∂_ϕ(Q_from − Q_to)` at the tie.
    pub weight: f64,
}

/// One `β` node: its partition and what it contributes.
#[derive(Debug, Clone)]
pub struct Node {
    /// `sin β`, `cos β`.
    pub sb: f64,
    /// See `sb`.
    pub cb: f64,
    /// `ρ(β)` (the density in `dβ dϕ`, or the discrete weight).
    pub density: f64,
    /// The intervals of the envelope.
    pub intervals: Vec<Interval>,
    /// `∫ t tᵀ dϕ` per piece used, times `density`.
    pub moments: Vec<(usize, Sym)>,
    /// Ties, for the Hessian.
    pub ties: Vec<Tie>,
}

/// A panel of `β` with its nodes and its sums.
#[derive(Debug, Clone)]
pub struct Panel {
    /// Ends.
    pub lo: f64,
    /// See `lo`.
    pub hi: f64,
    /// Nodes with their Kronrod and Gauss weights (the panel's half width included).
    pub nodes: Vec<(Node, f64, f64)>,
    /// Per piece: Kronrod sum of the moments.
    pub kronrod: Vec<Sym>,
    /// Per piece: Gauss sum.
    pub gauss: Vec<Sym>,
    /// `max(|ΔD|, |Δf(x_i)|, |Δcost|)` between the two rules (τ² included).
    pub error: f64,
}

/// Everything that is linear in the per-piece moments, for one `α`.
#[derive(Debug, Clone)]
pub struct Functionals {
    /// `L_c − I` per piece (`None`: unbounded piece).
    pub lmi: Vec<Option<Mat>>,
    /// `L_c` per piece.
    pub l: Vec<Option<Mat>>,
    /// The envelope's sample angles (the same at every `β` node).
    pub circle: Circle,
}

/// `∫ V`, `∫ cost`, `∫ φ(θ*, X)` of a set of per-piece moments.
#[derive(Debug, Clone, PartialEq)]
pub struct Sums {
    /// `∫ V_α dν0`.
    pub value: f64,
    /// `∫ |θ* − t|² dν0`.
    pub cost: f64,
    /// `∫ φ(θ*, x_i) dν0`.
    pub fit: Vec<f64>,
}

/// `L_c − I` and `L_c` of every piece (`None`: unbounded piece).
fn piece_maps(pieces: &Pieces) -> (Vec<Option<Mat>>, Vec<Option<Mat>>) {
    let lmi: Vec<Option<Mat>> = pieces.pieces().map(|c| map_minus_identity(pieces, c)).collect();
    let l = lmi.iter().map(|m| m.as_ref().map(plus_identity)).collect();
    (lmi, l)
}

/// The `z = (Θ_aw, Θ_ab)` of a piece from `Θ = ∫θθᵀ` — for a ray, `(aρ, 0)` with `aρ = e·z`.
fn piece_z(piece: Candidate, pieces: &Pieces, theta: &Sym) -> [f64; 2] {
    match piece {
        Candidate::Interior(_) => [theta[1], theta[2]],
        Candidate::Ray(r) => {
            let e = pieces.ray[r as usize];
            [e[0] * theta[1] + e[1] * theta[2], 0.0]
        }
        Candidate::Dead => [0.0, 0.0],
    }
}

/// The data columns `u` of a piece: `φ(θ, x_i) = z·u_i` ([`piece_z`]).
pub fn piece_u(piece: Candidate, sectors: &Sectors, x: &[f64], i: usize) -> [f64; 2] {
    match piece {
        Candidate::Interior(k) => {
            if sectors.active[k as usize][i] {
                [x[i], 1.0]
            } else {
                [0.0, 0.0]
            }
        }
        Candidate::Ray(r) => [sectors.activation[r as usize][i], 0.0],
        Candidate::Dead => [0.0, 0.0],
    }
}

impl Functionals {
    /// The maps of every piece of `pieces`.
    pub fn new(pieces: &Pieces, envelope: &EnvelopeSettings) -> Functionals {
        let (lmi, l) = piece_maps(pieces);
        Functionals { lmi, l, circle: Circle::new(pieces, envelope.samples) }
    }

    /// The sums of per-piece moments `t`.
    pub fn sums(&self, pieces: &Pieces, sectors: &Sectors, x: &[f64], t: &[Sym]) -> Sums {
        let s = sectors.len();
        let mut value = 0.0;
        let mut cost = 0.0;
        let mut fit = vec![0.0; x.len()];
        for (c, tc) in t.iter().enumerate() {
            if tc.iter().all(|&v| v == 0.0) {
                continue;
            }
            let (Some(lmi), Some(l)) = (&self.lmi[c], &self.l[c]) else { continue };
            value -= trace_product(lmi, tc);
            cost += trace_product(&product(lmi, lmi), tc);
            let piece = super::piece_map::piece_of(c, s);
            let theta = congruence(l, tc);
            let z = piece_z(piece, pieces, &theta);
            for (i, f) in fit.iter_mut().enumerate() {
                let u = piece_u(piece, sectors, x, i);
                *f += z[0] * u[0] + z[1] * u[1];
            }
        }
        Sums { value, cost, fit }
    }
}

/// The `z` of piece `c`'s minimizer at direction `t` and its `(Q, θ)`.
fn z_at(pieces: &Pieces, l: &Mat, piece: Candidate, t: [f64; 3]) -> [f64; 2] {
    let th = [0, 1, 2].map(|i| l[i][0] * t[0] + l[i][1] * t[1] + l[i][2] * t[2]);
    match piece {
        Candidate::Interior(_) => [th[0] * th[1], th[0] * th[2]],
        Candidate::Ray(r) => {
            let e = pieces.ray[r as usize];
            [th[0] * (e[0] * th[1] + e[1] * th[2]), 0.0]
        }
        Candidate::Dead => [0.0, 0.0],
    }
}

/// One node at `β` with density `density`.
fn node(pieces: &Pieces, funcs: &Functionals, s: usize, beta: f64, density: f64, settings: &IntegrationSettings, evaluations: &mut usize) -> Node {
    let (sb, cb) = (libm::sin(beta), libm::cos(beta));
    let part = partition_on(pieces, &funcs.circle, sb, cb, settings.envelope.phi_tol);
    *evaluations += part.evaluations;
    // Summed per piece in the order of first appearance.
    let mut slot: Vec<usize> = vec![usize::MAX; 2 * s + 1];
    let mut moments: Vec<(usize, Sym)> = Vec::with_capacity(part.intervals.len());
    for iv in &part.intervals {
        let c = code(iv.piece, s);
        let m = super::piece_map::moments(sb, cb, iv.lo, iv.hi);
        if slot[c] == usize::MAX {
            slot[c] = moments.len();
            moments.push((c, m.map(|v| density * v)));
        } else {
            let acc = &mut moments[slot[c]].1;
            (0..6).for_each(|q| acc[q] += density * m[q]);
        }
    }
    let ties = part.changes.iter().filter_map(|ch| tie(pieces, funcs, s, sb, cb, density, ch)).collect();
    Node { sb, cb, density, intervals: part.intervals, moments, ties }
}

/// Two minimizers closer than this (relative) at a change are one passing continuously.
const TIE_SEPARATION: f64 = 1e-6;

/// The Hessian's curve term at a change, if it is a tie with a positive slope.
fn tie(pieces: &Pieces, funcs: &Functionals, s: usize, sb: f64, cb: f64, density: f64, ch: &Change) -> Option<Tie> {
    let (from, to) = (code(ch.from, s), code(ch.to, s));
    let (lf, lt) = (funcs.l[from].as_ref()?, funcs.l[to].as_ref()?);
    let (sp, cp) = (libm::sin(ch.at), libm::cos(ch.at));
    let t = [sb, cb * cp, cb * sp];
    let dt = [0.0, -cb * sp, cb * cp];
    // ∂_ϕ (Q_from − Q_to) = 2 tᵀ (L_to − L_from) t'.
    let mut slope = 0.0;
    for i in 0..3 {
        for j in 0..3 {
            slope += 2.0 * t[i] * (lt[i][j] - lf[i][j]) * dt[j];
        }
    }
    // A continuous passage across a sector boundary (the two minimizers agree at the change,
    // up to the bracket's width) carries no term; its `Δφ` and slope are both round-off, and
    // their ratio noise (measured: a Jacobian asymmetric by 1e-4 relative with them).
    let apply = |l: &Mat| [0, 1, 2].map(|i| l[i][0] * t[0] + l[i][1] * t[1] + l[i][2] * t[2]);
    let (tf, tt) = (apply(lf), apply(lt));
    let gap = (0..3).map(|i| (tf[i] - tt[i]).powi(2)).sum::<f64>().sqrt();
    let size = (0..3).map(|i| tf[i] * tf[i] + tt[i] * tt[i]).sum::<f64>().sqrt();
    if !(slope > 0.0) || !(gap > TIE_SEPARATION * size) {
        return None;
    }
    let (z_from, z_to) = (z_at(pieces, lf, ch.from, t), z_at(pieces, lt, ch.to, t));
    Some(Tie { from, to, z_from, z_to, weight: density / slope })
}

/// `(f(), g())`, natively on two threads (the machine's two cores), on wasm32 one after the other.
fn both<A: Send, B: Send>(f: impl FnOnce() -> A + Send, g: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::scope(|scope| {
            let handle = scope.spawn(g);
            let a = f();
            let b = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (a, b)
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        (f(), g())
    }
}

/// The integrals of one `α` over `ν0`.
#[derive(Debug, Clone)]
pub struct Integration {
    /// The panels (empty for a discrete `β` law, whose nodes are in `discrete`).
    pub panels: Vec<Panel>,
    /// Per piece: the total moments (Kronrod).
    pub totals: Vec<Sym>,
    /// The sums of `totals`.
    pub sums: Sums,
    /// Estimated error: `Σ |K₁₅ − G₇|` per quantity (`τ²` not included).
    pub error: Sums,
    /// Calls of the per-direction minimizer.
    pub evaluations: usize,
    /// Total intervals over all nodes.
    pub intervals: usize,
    /// `β` nodes.
    pub nodes: usize,
}

/// Integrates for `pieces` (of `α`) over the law, to `settings.tolerance / τ²`.
pub fn integrate(pieces: &Pieces, sectors: &Sectors, x: &[f64], law: &BetaLaw, tau2: f64, settings: &IntegrationSettings) -> Integration {
    let s = sectors.len();
    let np = 2 * s + 1;
    let funcs = Functionals::new(pieces, &settings.envelope);
    let mut evaluations = 0;
    match law {
        BetaLaw::Discrete(points) => {
            let mut totals = vec![[0.0; 6]; np];
            let mut nodes = Vec::new();
            for &(beta, w) in points {
                let nd = node(pieces, &funcs, s, beta, w, settings, &mut evaluations);
                for (c, m) in &nd.moments {
                    (0..6).for_each(|q| totals[*c][q] += m[q]);
                }
                nodes.push((nd, 1.0, 1.0));
            }
            let sums = funcs.sums(pieces, sectors, x, &totals);
            let intervals = nodes.iter().map(|n| n.0.intervals.len()).sum();
            let error = Sums { value: 0.0, cost: 0.0, fit: vec![0.0; x.len()] };
            let count = nodes.len();
            let panel = Panel { lo: 0.0, hi: 0.0, nodes, kronrod: totals.clone(), gauss: totals.clone(), error: 0.0 };
            Integration { panels: vec![panel], totals, sums, error, evaluations, intervals, nodes: count }
        }
        BetaLaw::Continuous { scale } => {
            let make = |lo: f64, hi: f64| panel(pieces, &funcs, sectors, x, *scale, tau2, settings, lo, hi);
            let k0 = settings.initial_panels.max(1);
            let edge = |j: usize| -FRAC_PI_2 + PI * j as f64 / k0 as f64;
            let half = k0.div_ceil(2);
            let (first, second) = both(
                || (0..half).map(|j| make(edge(j), edge(j + 1))).collect::<Vec<_>>(),
                || (half..k0).map(|j| make(edge(j), edge(j + 1))).collect::<Vec<_>>(),
            );
            let mut panels: Vec<Panel> = Vec::with_capacity(k0);
            for (p, count) in first.into_iter().chain(second) {
                evaluations += count;
                panels.push(p);
            }
            loop {
                let total: f64 = panels.iter().map(|p| p.error).sum();
                if total <= settings.tolerance || panels.len() >= settings.max_panels {
                    break;
                }
                let worst = (0..panels.len()).max_by(|&a, &b| panels[a].error.total_cmp(&panels[b].error)).unwrap_or(0);
                let p = panels.swap_remove(worst);
                let mid = 0.5 * (p.lo + p.hi);
                let (left, right) = both(|| make(p.lo, mid), || make(mid, p.hi));
                evaluations += left.1 + right.1;
                panels.push(left.0);
                panels.push(right.0);
            }
            panels.sort_by(|a, b| a.lo.total_cmp(&b.lo));
            let mut totals = vec![[0.0; 6]; np];
            let mut diff_abs = Sums { value: 0.0, cost: 0.0, fit: vec![0.0; x.len()] };
            for p in &panels {
                for c in 0..np {
                    (0..6).for_each(|q| totals[c][q] += p.kronrod[c][q]);
                }
                let diff: Vec<Sym> = p.kronrod.iter().zip(&p.gauss).map(|(k, g)| [0, 1, 2, 3, 4, 5].map(|q| k[q] - g[q])).collect();
                let d = funcs.sums(pieces, sectors, x, &diff);
                diff_abs.value += d.value.abs();
                diff_abs.cost += d.cost.abs();
                for (e, v) in diff_abs.fit.iter_mut().zip(&d.fit) {
                    *e += v.abs();
                }
            }
            let sums = funcs.sums(pieces, sectors, x, &totals);
            let intervals = panels.iter().flat_map(|p| p.nodes.iter()).map(|n| n.0.intervals.len()).sum();
            let count = 15 * panels.len();
            Integration { panels, totals, sums, error: diff_abs, evaluations, intervals, nodes: count }
        }
    }
}

/// One Gauss–Kronrod panel `[lo, hi]` of `β` for a continuous law of density `scale · cos β`:
/// its 15 nodes, the per-piece Kronrod and Gauss sums, and `τ² max(|ΔD|, |Δf(x_i)|, |Δcost|)`
/// between the two rules; with the minimizer calls spent.
#[allow(clippy::too_many_arguments)] // the integration's whole context; a struct would only rename it
pub fn panel(pieces: &Pieces, funcs: &Functionals, sectors: &Sectors, x: &[f64], scale: f64, tau2: f64, settings: &IntegrationSettings, lo: f64, hi: f64) -> (Panel, usize) {
    let s = sectors.len();
    let np = 2 * s + 1;
    let mut count = 0;
    let (mid, half) = (0.5 * (lo + hi), 0.5 * (hi - lo));
    let mut kronrod = vec![[0.0; 6]; np];
    let mut gauss = vec![[0.0; 6]; np];
    let mut nodes = Vec::with_capacity(15);
    for j in 0..15 {
        let (idx, sign) = if j < 8 { (j, -1.0) } else { (14 - j, 1.0) };
        let beta = mid + sign * half * XGK[idx];
        let wk = half * WGK[idx];
        let wg = if idx % 2 == 1 { half * WG[idx / 2] } else { 0.0 };
        let density = scale * libm::cos(beta);
        let nd = node(pieces, funcs, s, beta, density, settings, &mut count);
        for (c, m) in &nd.moments {
            (0..6).for_each(|q| {
                kronrod[*c][q] += wk * m[q];
                gauss[*c][q] += wg * m[q];
            });
        }
        nodes.push((nd, wk, wg));
    }
    let diff: Vec<Sym> = kronrod.iter().zip(&gauss).map(|(k, g)| [0, 1, 2, 3, 4, 5].map(|q| k[q] - g[q])).collect();
    let d = funcs.sums(pieces, sectors, x, &diff);
    let error = tau2 * d.fit.iter().fold(d.value.abs().max(d.cost.abs()), |m, v| m.max(v.abs()));
    (Panel { lo, hi, nodes, kronrod, gauss, error }, count)
}

impl Integration {
    /// `J = ∂(∫ φ(θ*, X) dν0)/∂α` (without `τ²`): the interior term from the per-piece
    /// moments (the curvature formulas of [`crate::dual`]) plus the tie-curve term
    /// `Σ_ties w Δφ Δφᵀ / ∂_ϕ(Q_c − Q_c')` (MATH §11).
    pub fn jacobian(&self, pieces: &Pieces, sectors: &Sectors, x: &[f64]) -> ndarray::Array2<f64> {
        let n = x.len();
        let s = sectors.len();
        let (_, maps) = piece_maps(pieces);
        let mut j = ndarray::Array2::<f64>::zeros((n, n));
        for (c, tc) in self.totals.iter().enumerate() {
            if tc.iter().all(|&v| v == 0.0) {
                continue;
            }
            let Some(l) = &maps[c] else { continue };
            let theta = congruence(l, tc);
            let full = super::piece_map::full(&theta);
            let quad = |p: [f64; 3], q: [f64; 3]| -> f64 { super::piece_map::bilinear(&p, &theta, &q) };
            match super::piece_map::piece_of(c, s) {
                Candidate::Interior(k) => {
                    let k = k as usize;
                    let (v, inv) = (pieces.v[k], pieces.inv_d[k]);
                    let (p0, p1) = ([v[0], 1.0, 0.0], [v[1], 0.0, 1.0]);
                    let s00 = 0.5 * (inv * quad(p0, p0) + full[0][0]);
                    let s01 = 0.5 * inv * quad(p0, p1);
                    let s11 = 0.5 * (inv * quad(p1, p1) + full[0][0]);
                    let act = &sectors.active[k];
                    for i in 0..n {
                        if !act[i] {
                            continue;
                        }
                        for l2 in 0..n {
                            if act[l2] {
                                j[[i, l2]] += s00 * x[i] * x[l2] + s01 * (x[i] + x[l2]) + s11;
                            }
                        }
                    }
                }
                Candidate::Ray(r) => {
                    let r = r as usize;
                    let e = pieces.ray[r];
                    let rr = quad([0.0, e[0], e[1]], [0.0, e[0], e[1]]);
                    let ar = quad([1.0, 0.0, 0.0], [0.0, e[0], e[1]]);
                    let curv = 0.5 * pieces.inv_det[r] * (rr + full[0][0] + pieces.c[r] * ar);
                    let g = &sectors.activation[r];
                    for i in 0..n {
                        for l2 in 0..n {
                            j[[i, l2]] += curv * g[i] * g[l2];
                        }
                    }
                }
                Candidate::Dead => {}
            }
        }
        // Tie terms, summed per pair of pieces as 4×4 moments of (z_from, z_to).
        let mut pairs: BTreeMap<(usize, usize), [[f64; 4]; 4]> = BTreeMap::new();
        for p in &self.panels {
            for (nd, wk, _) in &p.nodes {
                for t in &nd.ties {
                    let w = wk * t.weight;
                    let z = [t.z_from[0], t.z_from[1], -t.z_to[0], -t.z_to[1]];
                    let m = pairs.entry((t.from, t.to)).or_insert([[0.0; 4]; 4]);
                    for a in 0..4 {
                        for b in 0..4 {
                            m[a][b] += w * z[a] * z[b];
                        }
                    }
                }
            }
        }
        for ((from, to), m) in pairs {
            let (pf, pt) = (super::piece_map::piece_of(from, s), super::piece_map::piece_of(to, s));
            let u: Vec<[f64; 4]> = (0..n)
                .map(|i| {
                    let (a, b) = (piece_u(pf, sectors, x, i), piece_u(pt, sectors, x, i));
                    [a[0], a[1], b[0], b[1]]
                })
                .collect();
            for i in 0..n {
                let mu: [f64; 4] = [0, 1, 2, 3].map(|b| (0..4).map(|a| u[i][a] * m[a][b]).sum());
                for l2 in 0..n {
                    j[[i, l2]] += (0..4).map(|b| mu[b] * u[l2][b]).sum::<f64>();
                }
            }
        }
        j
    }
}
