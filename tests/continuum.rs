//! The infinite-width solver (`scaling_path::continuum`, MATH §11) against computations that
//! share nothing with its integration: finite differences of its own `D`, and an independent
//! fine rule — a Fibonacci lattice on S² moved direction by direction to the exact minimizer
//! (`Pieces::best`), summed with equal weights.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use scaling_path::continuum::curve::CURVE_TOLERANCE;
use scaling_path::continuum::newton::CERTIFIED_RESIDUAL;
use scaling_path::continuum::{self, Continuum, ContinuumSettings, IntegrationSettings};
use scaling_path::dual::direction::Pieces;
use scaling_path::network::geometry::Sectors;
use scaling_path::network::init::Law;
use scaling_path::network::model::{linspace, phi};

mod common;

/// The independent fine rule (`tests/common`).
use common::lattice_fit as fine_fit;

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max)
}

fn example() -> (Vec<f64>, Vec<f64>) {
    (vec![-1.6, -0.9, -0.2, 0.5, 1.1, 1.7], vec![0.3, -0.4, 0.6, -0.1, 0.5, -0.3])
}

/// Random data not used to tune anything: x, y uniform on [−2, 2] × [−1, 1]. (Two abscissas
/// 1e-3 apart make `K(X, X)` so ill-conditioned that the Fibonacci rule's own error, ~1e-4
/// relative on `K`, shows as percents in the residual: `examples/continuum_check` measures
/// those against an aligned rule instead.)
fn random(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut u = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let x: Vec<f64> = (0..n).map(|_| -2.0 + 4.0 * u()).collect();
    let y = (0..n).map(|_| -1.0 + 2.0 * u()).collect();
    (x, y)
}

/// `∇D = y − f_α(X)` and the Jacobian `J = ∂f_α(X)/∂α` (interior + tie-curve terms) against
/// central differences of `D` and of `f_α(X)`, at an `α` well inside the domain where many
/// pieces are in play (sup g = 1.5).
#[test]
fn gradient_and_jacobian_match_finite_differences() {
    let (x, y) = example();
    let mut problem = Continuum::new(&x, &y, 0.0, Law::Gaussian).unwrap();
    problem.settings = IntegrationSettings { tolerance: 1e-12, max_panels: 2000, ..problem.settings };
    let alpha0 = [0.3, -0.5, 0.4, -0.2, 0.35, -0.1];
    let sup = Pieces::new(&problem.sectors, &x, &alpha0).sup_g;
    let alpha: Vec<f64> = alpha0.iter().map(|a| a * 1.5 / sup).collect();
    let tau = 1.0;
    let e = problem.evaluate(tau, &alpha).unwrap();
    let grad = e.gradient(&problem);
    let j = problem.jacobian(&e);
    let h = 1e-4;
    let (mut worst_g, mut worst_j, mut scale_j) = (0.0f64, 0.0f64, 0.0f64);
    for l in 0..x.len() {
        let mut ap = alpha.clone();
        ap[l] += h;
        let mut am = alpha.clone();
        am[l] -= h;
        let (p, m) = (problem.evaluate(tau, &ap).unwrap(), problem.evaluate(tau, &am).unwrap());
        let fd = (p.value - m.value) / (2.0 * h);
        worst_g = worst_g.max((fd - grad[l]).abs());
        for i in 0..x.len() {
            let fdj = (p.fit[i] - m.fit[i]) / (2.0 * h);
            worst_j = worst_j.max((fdj - j[[i, l]]).abs());
            scale_j = scale_j.max(j[[i, l]].abs());
        }
    }
    // D is C¹ with a Lipschitz gradient: the central difference is accurate to O(h²).
    assert!(worst_g < 1e-6, "gradient off by {worst_g:e}");
    // J is only piecewise smooth (ties), so its difference quotient is good to O(h) relative.
    assert!(worst_j < 1e-2 * scale_j, "Jacobian off by {worst_j:e} (scale {scale_j:e})");
}

/// `f_α` on the data with the data-aligned product rule of `init` (Gauss–Legendre in β × in ϕ
/// within each sector, `directions` in all), and on `grid` with a rule re-aligned with each
/// grid point (`curve::infinite_width_curve`): independent of the continuum integration, and
/// far better than the lattice where the measure is rough (small τ, close abscissas).
fn aligned_fit(x: &[f64], alpha: &[f64], tau: f64, directions: usize, per_point: usize, grid: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (t, w) = scaling_path::network::init::aligned_rule(Law::Gaussian, directions, x, scaling_path::network::init::data_range(x));
    let sectors = Sectors::new(x);
    let pieces = Pieces::new(&sectors, x, alpha);
    let thetas: Vec<[f64; 3]> = t.iter().map(|d| pieces.best(*d).theta).collect();
    let data = x.iter().map(|&xi| tau * tau * thetas.iter().zip(&w).map(|(th, wi)| wi * phi(*th, xi)).sum::<f64>()).collect();
    (data, scaling_path::network::curve::infinite_width_curve(x, alpha, tau, Law::Gaussian, grid, per_point))
}

/// The continuum solution at each τ interpolates, and its curve is right, to 1e-3·max|y| under
/// an independent reference: for the data and for the curve separately, the better of two
/// rules — the Fibonacci lattice (2×2¹⁸ points; good where the measure is rough: small τ) and
/// the aligned rules (2²⁰ directions at the data, 2¹⁵ per grid point; good at large τ and close
/// abscissas) — "better" being the one that moves less from its own quarter-size version, and
/// the solution must be within 1e-3·max|y| plus that change (the reference's demonstrated
/// accuracy), the change itself below 2e-2. At test sizes the references move by 8e-4–1.2e-2
/// (of max|y|) themselves, so this checks 1e-3 only up to them; today's discrete α misses by
/// 1.5e-2–6e-2 and fails it. The example tool's 2×2²⁰ lattice resolves further: 6e-5–1.2e-4 on
/// example.csv at τ = 0.3–30.
fn check_solutions(x: &[f64], y: &[f64], taus: &[f64]) {
    let problem = Continuum::new(x, y, 0.0, Law::Gaussian).unwrap();
    let scale = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let grid = linspace(lo - 0.25 * (hi - lo), hi + 0.25 * (hi - lo), 41);
    let sols = continuum::solve_path(&problem, taus, ContinuumSettings::default());
    for (sol, &tau) in sols.iter().zip(taus) {
        assert!(sol.residual <= CERTIFIED_RESIDUAL * scale, "tau {tau}: own residual {:e}", sol.residual);
        assert!(sol.integration_error <= CERTIFIED_RESIDUAL * scale, "tau {tau}: integration error {:e}", sol.integration_error);
        let alpha = &sol.eval.alpha;
        let (a_fit, a_curve) = aligned_fit(x, alpha, tau, 1 << 20, 1 << 15, &grid);
        let (a_fit4, a_curve4) = aligned_fit(x, alpha, tau, 1 << 18, 1 << 13, &grid);
        let (l_fit, l_curve) = fine_fit(x, alpha, tau, 1 << 18, &grid);
        let (l_fit4, l_curve4) = fine_fit(x, alpha, tau, 1 << 16, &grid);
        let pick = |a: (&[f64], &[f64]), l: (&[f64], &[f64])| -> (Vec<f64>, f64) {
            let (ca, cl) = (max_diff(a.0, a.1), max_diff(l.0, l.1));
            if ca <= cl { (a.0.to_vec(), ca) } else { (l.0.to_vec(), cl) }
        };
        let (fit, fit_change) = pick((&a_fit, &a_fit4), (&l_fit, &l_fit4));
        let (ref_curve, curve_change) = pick((&a_curve, &a_curve4), (&l_curve, &l_curve4));
        let residual = max_diff(&fit, y);
        let (curve, _) = continuum::curve(&problem, &sol.eval, &grid);
        let curve_error = max_diff(&curve, &ref_curve);
        eprintln!(
            "tau {tau}: residual {:.2e} (reference change {:.2e}), curve {:.2e} (reference change {:.2e}), of max|y|",
            residual / scale,
            fit_change / scale,
            curve_error / scale,
            curve_change / scale
        );
        assert!(fit_change.max(curve_change) <= 2e-2 * scale, "tau {tau}: the references themselves move by {:e}", fit_change.max(curve_change) / scale);
        assert!(residual <= 1e-3 * scale + fit_change, "tau {tau}: residual under the reference {:e}", residual / scale);
        assert!(curve_error <= 1e-3 * scale + curve_change, "tau {tau}: curve error under the reference {:e}", curve_error / scale);
    }
}

#[test]
fn example_solutions_interpolate_under_the_fine_rule() {
    let (x, y) = example();
    check_solutions(&x, &y, &[1e-2, 0.3, 3.0, 30.0]);
}

#[test]
fn random_solutions_interpolate_under_the_fine_rule() {
    let (x, y) = random(8, 2026);
    check_solutions(&x, &y, &[1e-2, 0.3, 3.0, 30.0]);
}

/// The error estimate `Σ|K₁₅ − G₇|` bounds the actual error of a coarse integration (the
/// solver's first pass: 8 panels, no refinement) within a factor 2 — measured against a tight
/// one (tolerance 1e-12) and against the fine rule (up to that rule's own error) — and is not
/// wildly pessimistic (at most 1e3 times the actual error). The factor: on panels that contain
/// one of the β where two envelope roots meet, the integrand has a square-root singularity and
/// `|K₁₅ − G₇|` is not yet asymptotic; measured on this data, estimate/actual from 2 to 46
/// with 4 panels at the first α tried, and below 1 (0.8) at one point with 4 panels at another.
#[test]
fn error_estimate_bounds_the_actual_error() {
    let (x, y) = example();
    let problem = Continuum::new(&x, &y, 0.0, Law::Gaussian).unwrap();
    let grid = linspace(-2.4, 2.5, 41);
    for tau in [0.1, 3.0] {
        let sol = continuum::solve(&problem, tau, &[0.0; 6], ContinuumSettings::default());
        let coarse = IntegrationSettings { initial_panels: 8, max_panels: 8, ..problem.settings };
        let tight = IntegrationSettings { tolerance: 1e-12, max_panels: 4000, ..problem.settings };
        let c = problem.evaluate_with(tau, &sol.eval.alpha, &coarse).unwrap();
        let t = problem.evaluate_with(tau, &sol.eval.alpha, &tight).unwrap();
        let (fine, fine_curve) = fine_fit(&x, &sol.eval.alpha, tau, 1 << 18, &grid);
        let (c_curve, c_err) = continuum::curve(&problem, &c, &grid);
        let (t_curve, _) = continuum::curve(&problem, &t, &grid);
        let mut ratios = Vec::new();
        #[allow(clippy::needless_range_loop)] // i indexes four arrays of the data points
        for i in 0..x.len() {
            let actual = (c.fit[i] - t.fit[i]).abs();
            assert!(actual <= 2.0 * c.fit_error[i] + 1e-11, "tau {tau}, point {i}: error {actual:e} above twice its estimate {:e}", c.fit_error[i]);
            assert!((c.fit[i] - fine[i]).abs() <= 2.0 * c.fit_error[i] + 3e-4, "tau {tau}, point {i}: off the fine rule");
            ratios.push(c.fit_error[i] / actual.max(1e-300));
        }
        for g in 0..grid.len() {
            let actual = (c_curve[g] - t_curve[g]).abs();
            assert!(actual <= 2.0 * c_err[g] + 1e-11, "tau {tau}, x = {}: curve error {actual:e} above twice its estimate {:e}", grid[g], c_err[g]);
            assert!((c_curve[g] - fine_curve[g]).abs() <= 2.0 * c_err[g] + 1e-3, "tau {tau}, x = {}: curve off the fine rule", grid[g]);
        }
        ratios.sort_by(f64::total_cmp);
        eprintln!("tau {tau}: estimate / actual error at the data: median {:.1}, range {:.1}–{:.1e}", ratios[ratios.len() / 2], ratios[0], ratios[ratios.len() - 1]);
        let worst = c.max_fit_error();
        let actual_max = (0..x.len()).map(|i| (c.fit[i] - t.fit[i]).abs()).fold(0.0, f64::max);
        assert!(worst <= 1e3 * actual_max.max(1e-12), "tau {tau}: estimate {worst:e} vs actual {actual_max:e}: too pessimistic");
    }
}

/// A data set of `examples/data`.
fn data_file(name: &str) -> (Vec<f64>, Vec<f64>) {
    let text = std::fs::read_to_string(format!("{}/examples/data/{name}", env!("CARGO_MANIFEST_DIR"))).expect("the data set");
    text.lines()
        .skip(1)
        .map(|l| {
            let mut c = l.split(',').map(|v| v.trim().parse::<f64>().expect("a number"));
            (c.next().expect("x"), c.next().expect("y"))
        })
        .unzip()
}

/// Off the data the curve's integrand has one more kink in `β` per grid point (where its
/// breakpoint line meets the edge of a cut sector's piece) that the data's panels were not
/// refined for: at the kernel end of `random-10.csv` they alone left estimates of up to
/// 4.4e-3·max|y|. The curve refines them until every estimate is below `CURVE_TOLERANCE`, and
/// the estimate must hold against the curve of the same α integrated at a tolerance 10⁵ times
/// tighter (its own estimate added).
#[test]
fn curve_meets_its_tolerance_off_the_data() {
    let (x, y) = data_file("random-10.csv");
    let problem = Continuum::new(&x, &y, 0.0, Law::Gaussian).unwrap();
    let scale = y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let grid = linspace(lo - 0.25 * (hi - lo), hi + 0.25 * (hi - lo), 201);
    let mut tight = problem.clone();
    tight.settings = IntegrationSettings { tolerance: 1e-10 * scale, max_panels: 4000, ..problem.settings };
    for tau in [63.1, 177.8] {
        let sol = continuum::solve_path(&problem, &[tau], ContinuumSettings::default()).remove(0);
        let (curve, errors) = continuum::curve(&problem, &sol.eval, &grid);
        let worst = errors.iter().fold(0.0f64, |m, e| m.max(*e));
        assert!(worst <= CURVE_TOLERANCE * scale, "tau {tau}: curve error estimate {:e} × max|y|", worst / scale);
        let reference = tight.evaluate(tau, &sol.eval.alpha).unwrap();
        let (exact, exact_errors) = continuum::curve(&tight, &reference, &grid);
        for g in 0..grid.len() {
            let actual = (curve[g] - exact[g]).abs();
            assert!(actual <= 2.0 * errors[g] + exact_errors[g], "tau {tau}, x = {}: curve off by {actual:e}, estimate {:e}", grid[g], errors[g]);
        }
        eprintln!("tau {tau}: worst estimate {:.1e}, worst actual {:.1e} (× max|y|)", worst / scale, max_diff(&curve, &exact) / scale);
    }
}

/// Nearly coincident abscissas with steep differences (`examples/data/random-10.csv`): the walk
/// down from the kernel end passes τ ≈ 51.8 and 31.6, where Newton once accepted a step to the
/// domain's edge, crawled along it and stopped 15 and 152 times max|y| off the data. Each τ
/// must end with a residual and an integration error a certificate accepts.
#[test]
fn nearly_coincident_abscissas_walk_past_the_domains_edge() {
    let (x, y) = data_file("random-10.csv");
    let problem = Continuum::new(&x, &y, 0.0, Law::Gaussian).unwrap();
    let scale = y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let taus = [31.622_776_601_683_793, 51.794_746_792_312_12];
    for (tau, sol) in taus.iter().zip(continuum::solve_path(&problem, &taus, ContinuumSettings::default())) {
        assert!(sol.residual <= CERTIFIED_RESIDUAL * scale, "tau {tau}: residual {:e} × max|y|", sol.residual / scale);
        assert!(sol.integration_error <= CERTIFIED_RESIDUAL * scale, "tau {tau}: integration error {:e}", sol.integration_error);
    }
    // Further down, at τ = 0.01 (α ~ 2·10⁴, next to the domain's edge), rounding α to doubles
    // moves f_α(X) by more than 1e-6·max|y|: the solve ends at its conditioning floor, which must
    // bound what one ulp of every α_l actually does to f_α(X) (the integration is exact enough
    // to see it: a 1 000 times finer rule agreed to 8e-7), and must itself be reached.
    let sol = continuum::solve_path(&problem, &[0.01], ContinuumSettings::default()).remove(0);
    assert!(sol.residual_floor > 1e-6 * scale, "floor {:e}: this τ would not test it", sol.residual_floor);
    assert!(sol.residual <= sol.residual_floor && sol.residual <= 1e-3 * scale, "residual {:e}, floor {:e}", sol.residual, sol.residual_floor);
    // At a tolerance a hundred times the solver's, so that what moves f is the nudge, not the
    // adaptive rule choosing other panels.
    let tight = IntegrationSettings { tolerance: 1e-7 * scale, ..problem.settings };
    let base = problem.evaluate_with(0.01, &sol.eval.alpha, &tight).unwrap();
    let mut worst = 0.0f64;
    for seed in 0..4u32 {
        // ±1 ulp on every component, in a pattern per seed.
        let nudged: Vec<f64> = sol.eval.alpha.iter().enumerate().map(|(l, &a)| {
            let up = (l as u32).wrapping_mul(2_654_435_761).wrapping_add(seed.wrapping_mul(40_503)) >> 7 & 1 == 1;
            let bits = a.to_bits();
            f64::from_bits(if up == (a > 0.0) { bits + 1 } else { bits - 1 })
        }).collect();
        let moved = problem.evaluate_with(0.01, &nudged, &tight).unwrap();
        worst = worst.max(base.fit.iter().zip(&moved.fit).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max));
    }
    eprintln!("one ulp: {worst:e}, floor {:e}, residual {:e}", sol.residual_floor, sol.residual);
    assert!(worst <= sol.residual_floor, "one ulp of alpha moved f by {worst:e}, above the floor {:e}", sol.residual_floor);
    assert!(worst >= 0.1 * sol.residual_floor, "one ulp of alpha moved f by only {worst:e}: the floor {:e} is far too loose", sol.residual_floor);
}

/// The integration's error estimates at the default settings cover its actual error, measured
/// against the same integrals at a tolerance 10⁷ times tighter with 16 times the envelope's
/// samples, at α's from near 0 to next to the domain's edge, on two data sets and both laws
/// over the whole sphere. (With eight initial panels instead of sixteen the sphere law on the
/// example data, next to the edge, was off by 17 times its estimate: this test fails then.)
#[test]
fn error_estimates_cover_the_error_at_the_default_settings() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
    let mut u = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let mut checked = 0;
    for (x, y) in [example(), random(8, 5)] {
        for law in [Law::Gaussian, Law::Sphere] {
            let problem = Continuum::new(&x, &y, 0.0, law).unwrap();
            let direction: Vec<f64> = (0..x.len()).map(|_| u() - 0.5).collect();
            let scaled = |s: f64| direction.iter().map(|d| d * s).collect::<Vec<f64>>();
            // The largest multiple of `direction` in the domain, by bisection.
            let (mut inside, mut outside) = (0.0, 1.0);
            while Pieces::new(&problem.sectors, &x, &scaled(outside)).in_domain() {
                outside *= 2.0;
            }
            for _ in 0..50 {
                let mid = 0.5 * (inside + outside);
                if Pieces::new(&problem.sectors, &x, &scaled(mid)).in_domain() { inside = mid } else { outside = mid }
            }
            for (share, tau) in [(0.05, 30.0), (0.5, 1.0), (0.95, 0.1)] {
                let alpha = scaled(share * inside);
                let tight = IntegrationSettings {
                    tolerance: 1e-7 * problem.settings.tolerance,
                    max_panels: 4000,
                    envelope: continuum::envelope::EnvelopeSettings { samples: 1024, phi_tol: 1e-12 },
                    ..IntegrationSettings::default()
                };
                let e = problem.evaluate(tau, &alpha).unwrap();
                let t = problem.evaluate_with(tau, &alpha, &tight).unwrap();
                let what = format!("law {law:?}, n = {}, share {share}, τ = {tau}", x.len());
                assert!((e.value - t.value).abs() <= e.value_error + e.round_off + t.value_error + t.round_off, "{what}: D {} vs {} (estimate {:.1e})", e.value, t.value, e.value_error);
                for i in 0..x.len() {
                    assert!((e.fit[i] - t.fit[i]).abs() <= e.fit_error[i] + t.fit_error[i], "{what}: f(x_{i}) {} vs {} (estimate {:.1e})", e.fit[i], t.fit[i], e.fit_error[i]);
                }
                assert!((e.cost - t.cost).abs() <= e.cost_error + t.cost_error + 1e-13 * e.cost.abs(), "{what}: cost {} vs {}", e.cost, t.cost);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 12);
}
