//! End-to-end certificates (MATH §6, §10): every τ of every path is certified, and everything a
//! certificate claims is recomputed here from the report alone — the fit and the residual from
//! the neuron rows, the primal value as the transport cost of those rows (plus the data-fit
//! term), the marginal constraint (every source's shares sum to one), and the dual value as
//! `D(α)` at the reported `α`. Weak duality `D(α) ≤ OPT ≤ P(μ)` then makes the reported gap a
//! proof of near-optimality.

mod common;

use scaling_path::dual::DualProblem;
use scaling_path::input::params::log_range;
use scaling_path::network::geometry::Sectors;
use scaling_path::network::init::{Law, Width};
use scaling_path::network::model::phi;
use scaling_path::path::report::{PathReport, TauReport};
use scaling_path::{Data, PathParams, ScalingPath, solve_path};

/// The data of MATH §9's figure (the same points as `examples/data/example.csv`), embedded.
const EXAMPLE: &str = "x,y\n-1.6,0.3\n-0.9,-0.4\n-0.2,0.6\n0.5,-0.1\n1.1,0.5\n1.7,-0.3\n";

fn example() -> Data {
    Data::parse_str(EXAMPLE).unwrap()
}

/// 10 points of `sin(1.5x)` on a uniform grid of `[−2, 2]`.
fn sine10() -> Data {
    let x: Vec<f64> = (0..10).map(|i| -2.0 + 4.0 * i as f64 / 9.0).collect();
    let y = x.iter().map(|&v| (1.5 * v).sin()).collect();
    Data::new(x, y).unwrap()
}

/// The data sets solved at λ = 0 and λ = 0.05.
fn data_sets() -> Vec<(&'static str, Data)> {
    vec![
        ("example", example()),
        ("sine10", sine10()),
        ("two points", Data::new(vec![-1.0, 1.0], vec![0.5, -0.3]).unwrap()),
        ("one point", Data::new(vec![0.7], vec![1.2]).unwrap()),
        (
            "8 alternating steps",
            Data::new((0..8).map(|i| -1.75 + 0.5 * i as f64).collect(), (0..8).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 }).collect()).unwrap(),
        ),
        // A repeated point (same x, same y): merged by the solver at λ = 0.
        ("repeated point", Data::new(vec![-1.0, 0.2, 0.2, 1.3], vec![0.4, -0.5, -0.5, 0.3]).unwrap()),
    ]
}

/// Two points with the same x and different y: feasible only with λ > 0.
fn conflicting() -> Data {
    Data::new(vec![-1.0, 0.0, 0.0, 1.0], vec![0.2, 0.5, -0.5, 0.1]).unwrap()
}

fn params(taus: Vec<f64>, lambda: f64, width: Width) -> PathParams {
    PathParams { taus, lambda, law: Law::Gaussian, symmetric: true, width, grid: None }
}

fn solve(data: &Data, p: &PathParams) -> PathReport {
    let valid = p.check(data).unwrap();
    let report = solve_path(data, &valid, |_, _, _| {}).unwrap();
    assert_eq!(report.path.len(), p.taus.len());
    report
}

/// Asserts `|a − b| ≤ tol·scale` with a message.
fn close(what: &str, a: f64, b: f64, tol: f64, scale: f64) {
    assert!((a - b).abs() <= tol * scale, "{what}: {a:e} vs {b:e} (difference {:e}, allowed {:e})", (a - b).abs(), tol * scale);
}

/// Checks one τ of a path against the report's own rows and the dual at its α.
fn check_tau(name: &str, report: &PathReport, r: &TauReport) {
    let what = format!("{name}, λ = {}, τ = {:e}", report.lambda, r.tau);
    let (data, lambda, tau) = (&report.data, report.lambda, r.tau);
    let (weights, sources) = (&report.init.weights, &report.init.neurons);
    let scale_y = data.max_abs_y().max(1.0);

    // The solver's own verdict.
    assert!(r.certified, "{what}: not certified (relative gap {:e}, residual {:e})", r.relative_gap, r.residual);
    assert!(r.relative_gap <= 1e-6, "{what}: relative gap {:e}", r.relative_gap);
    let allowed = common::residual_allowance(report, r.tau);
    assert!(r.residual <= allowed, "{what}: residual {:e} (allowed {allowed:e})", r.residual);
    assert!(r.primal.is_finite() && r.dual.is_finite());
    // Weak duality (up to the round-off of P and D).
    assert!(r.dual <= r.primal + 1e-9 * r.primal.abs(), "{what}: D = {:e} > P = {:e}", r.dual, r.primal);
    close(&format!("{what}: gap"), r.gap, r.primal - r.dual, 1e-12, r.primal.abs().max(1e-300));
    if r.primal != 0.0 {
        close(&format!("{what}: relative gap"), r.relative_gap, r.gap / r.primal.abs(), 1e-12, 1.0);
    }

    // The measure is a transport of the initial one: every source's shares are positive and sum
    // to one.
    let mut shares = vec![0.0; sources.len()];
    for row in &r.neurons {
        let p = row[0] as usize;
        assert!(row[0] == p as f64 && p < sources.len(), "{what}: bad source index {}", row[0]);
        assert!(row[1] > 0.0 && row[1] <= 1.0 + 1e-12, "{what}: share {} of source {p}", row[1]);
        assert!(row[2..].iter().all(|v| v.is_finite()), "{what}: row {row:?}");
        shares[p] += row[1];
    }
    for (p, s) in shares.iter().enumerate() {
        assert!((s - 1.0).abs() <= 1e-12, "{what}: source {p}'s shares sum to {s}");
    }

    // f(x) = Σ_rows ω_p·share·φ((a, w, b), x) and the transport cost Σ_rows ω_p·share·|θ − τθ_p|²,
    // recomputed from the rows; each with the scale of its terms for the round-off allowance.
    let fit = |x: f64| -> (f64, f64) {
        r.neurons.iter().fold((0.0, 0.0), |(f, s), row| {
            let m = weights[row[0] as usize] * row[1];
            let v = m * phi([row[2], row[3], row[4]], x);
            (f + v, s + v.abs())
        })
    };
    let mut residual: f64 = 0.0;
    let mut misfit2 = 0.0;
    for (i, (&xi, &yi)) in data.x.iter().zip(&data.y).enumerate() {
        let (f, _) = fit(xi);
        residual = residual.max((f - yi + lambda * r.alpha[i]).abs());
        misfit2 += (f - yi) * (f - yi);
    }
    assert!(residual <= allowed, "{what}: recomputed residual {residual:e} (reported {:e}, allowed {allowed:e})", r.residual);
    close(&format!("{what}: residual"), residual, r.residual, 1.0, allowed);
    let transport: f64 = r
        .neurons
        .iter()
        .map(|row| {
            let (p, share) = (row[0] as usize, row[1]);
            let t = sources[p];
            let d2: f64 = (0..3).map(|k| (row[2 + k] - tau * t[k]).powi(2)).sum();
            weights[p] * share * d2
        })
        .sum();
    close(&format!("{what}: transport cost"), transport, r.transport_cost, 1e-9, transport.abs());
    let primal = if lambda > 0.0 { transport + misfit2 / (2.0 * lambda) } else { transport };
    close(&format!("{what}: primal"), primal, r.primal, 1e-9, primal.abs());
    // The reported curve is the same measure — or, drawn with the re-aligned rule (MATH §8),
    // the same α's infinite-width function, which differs from this discretized measure between
    // the data by the data-aligned rule's quadrature error (up to 0.1 here): its accuracy is
    // tested against the closed-form kernel limit in src/network/curve.rs and tests/limits.rs.
    assert!(r.fit_source == "measure" || r.fit_source == "realigned", "{what}: fit_source {}", r.fit_source);
    if r.fit_source == "measure" {
        for (&x, &y) in r.fit.x.iter().zip(&r.fit.y) {
            let (f, s) = fit(x);
            close(&format!("{what}: fit at {x}"), f, y, 1e-12, s.max(1e-300));
        }
    } else {
        let e = r.fit_error.expect("a re-aligned fit carries its refinement error");
        assert!(e <= 1e-2 * scale_y, "{what}: re-aligned fit error {e:e}");
    }

    // The dual value is D(α) at the reported α: recomputed on the data as given (repeated points
    // carry their merged multiplier in equal parts, which leaves D unchanged).
    let problem = DualProblem {
        x: data.x.clone(),
        y: data.y.clone(),
        lambda,
        tau,
        sources: sources.clone(),
        weights: weights.clone(),
        geometry: Sectors::new(&data.x),
    };
    let e = problem.evaluate(&r.alpha);
    assert!(e.value.is_finite(), "{what}: α outside the domain");
    close(&format!("{what}: dual"), e.value, r.dual, 1e-9, r.primal.abs().max(r.dual.abs()) + e.noise);
}

fn check_path(name: &str, report: &PathReport) {
    for r in &report.path {
        check_tau(name, report, r);
    }
    let worst = |f: fn(&TauReport) -> f64| report.path.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
    eprintln!(
        "{name}, λ = {}: worst relative gap {:.1e}, worst residual {:.1e}, most split sources {}",
        report.lambda,
        worst(|r| r.relative_gap),
        worst(|r| r.residual),
        report.path.iter().map(|r| r.split_sources).max().unwrap_or(0)
    );
}

#[test]
fn every_data_set_is_certified_along_the_path() {
    let taus = log_range(1e-2, 1e2, 5).unwrap();
    for (name, data) in data_sets() {
        for lambda in [0.0, 0.05] {
            check_path(name, &solve(&data, &params(taus.clone(), lambda, Width::Directions(2048))));
        }
    }
    check_path("conflicting points", &solve(&conflicting(), &params(taus, 0.05, Width::Directions(2048))));
}

/// The hard ends: τ = 1e-3 (the optimal α is at the edge of the dual's domain, radii ×~1/τ) and
/// τ = 1e3 (the transport cost is ~1e-5 of |θ|², so it must be computed without cancellation).
#[test]
fn example_is_certified_from_1e_minus_3_to_1e3() {
    let taus = log_range(1e-3, 1e3, 7).unwrap();
    for lambda in [0.0, 0.05] {
        check_path("example", &solve(&example(), &params(taus.clone(), lambda, Width::Directions(2048))));
    }
}

/// Finite width: the scaling path over transport plans from 400 sampled neurons (MATH §8).
#[test]
fn finite_width_is_certified() {
    let width = Width::Neurons { m: 400, seed: 3 };
    for (name, data) in [("example", example()), ("sine10", sine10())] {
        for lambda in [0.0, 0.05] {
            let report = solve(&data, &params(vec![0.1, 1.0, 10.0], lambda, width));
            assert_eq!(report.init.kind, "sampled");
            assert_eq!(report.init.count, 400);
            check_path(name, &report);
        }
    }
}

/// Fraction of the carried amount `Σ ω_p·share·|a|·|(w, b)|` of `r`'s neurons whose kink `−b/w`
/// lies within `tol` of a data point.
fn amount_at_data(r: &TauReport, weights: &[f64], x: &[f64], tol: f64) -> f64 {
    let (mut at, mut total) = (0.0, 0.0);
    for row in &r.neurons {
        let amount = weights[row[0] as usize] * row[1] * row[2].abs() * row[3].hypot(row[4]);
        total += amount;
        let kink = -row[4] / row[3];
        if x.iter().any(|&xi| (kink - xi).abs() <= tol) {
            at += amount;
        }
    }
    at / total
}

/// The rich regime is sparse (MATH §4, §9): the network's kinks sit at a few data points. This
/// is not a theorem for every data set (the weighted-TV minimizer may put a kink between two
/// data points), so it is asserted as observed on the example: at τ = 0.01 every direction
/// that moves is sent onto a breakpoint ray (kink exactly at a data point, to round-off) or
/// switched off, and the carried amount at data points is 1 − O(1e-7) (what stays off the rays is
/// the barely-moved τ-scale mass). No single neuron carries more than 1 % of the total: with a
/// quadrature, a kink's mass is collected from many directions, so the sparsity shows in the
/// kink positions, not in the number of rows. In the kernel regime (τ = 100) the neurons barely
/// move from the quadrature's directions, which are never on a ray, so almost none of the amount
/// sits at a data point.
#[test]
fn small_tau_kinks_sit_at_data_points() {
    let data = example();
    let report = solve(&data, &params(vec![0.01, 100.0], 0.0, Width::Directions(2048)));
    let (rich, lazy) = (&report.path[0], &report.path[1]);
    let at_rich = amount_at_data(rich, &report.init.weights, &data.x, 1e-6);
    let at_lazy = amount_at_data(lazy, &report.init.weights, &data.x, 1e-6);
    eprintln!("amount with kinks within 1e-6 of a data point: {at_rich} at τ = 0.01, {at_lazy} at τ = 100");
    assert!(at_rich >= 0.999, "τ = 0.01: only {at_rich} of the amount has its kink at a data point");
    assert!(at_lazy <= 0.01, "τ = 100: {at_lazy} of the amount has its kink at a data point");
}

/// A data set, λ and τ list found failing by `tests/properties.rs`-style random data
/// (512 directions, Gaussian quadrature), with the failure seen.
type Case = (&'static str, &'static [f64], &'static [f64], f64, &'static [f64]);

/// Runs `cases`; returns the names of those that fail a check (each failure is printed).
fn failing(cases: &[Case]) -> Vec<&'static str> {
    let mut failed = vec![];
    for &(name, x, y, lambda, taus) in cases {
        let data = Data::new(x.to_vec(), y.to_vec()).unwrap();
        let report = solve(&data, &params(taus.to_vec(), lambda, Width::Directions(512)));
        if std::panic::catch_unwind(|| check_path(name, &report)).is_err() {
            failed.push(name);
        }
    }
    failed
}

/// Cases found by random search that the solver once failed to certify (kept as regressions).
#[test]
fn previously_failing_random_cases_are_certified() {
    #[rustfmt::skip]
    let cases: [Case; 9] = [
        // A piece that was not a local minimum became the global one within one step (a fold):
        // the model missed it and the ascent hit its cap (relative gap −8e-4, residual 2.5e-4).
        ("4 points, τ = 1", &[0.122, -1.767, 1.123, -0.663], &[-0.558, 0.517, -0.692, -0.331], 0.0, &[1.0]),
        // Stopped on a slightly negative model gain below D's round-off: relative gap 2e-8, residual 2.1e-8.
        ("6 points, τ = 20 (b)", &[-0.4435, 1.0247, 0.6787, -0.0694, -1.5277, -1.8374], &[0.6458, 0.3449, -0.9639, -0.3173, 0.8073, -0.3256], 0.0, &[20.0]),
        // Residual 1.6e-9 > 1e-9 at τ = 20 with λ = 0.1.
        ("6 points, λ = 0.1, τ = 20", &[1.9144, 1.3244, 1.5428, -0.1698, -1.001, 0.906], &[0.4273, 0.0383, 0.7665, 0.8794, -0.4717, -0.6064], 0.1, &[20.0]),
        // τ = 1 warm-started from τ = 20: relative gap −3e-8, residual 5.2e-9.
        ("2 points, τ = 1 after 20 (b)", &[-0.6982253615918994, 0.18758617595325378], &[-0.47411351689383463, 0.03147873985657346], 0.0, &[1.0, 20.0]),
        // The ascent stopped ("converged") with ∇D = y − f ~ 0.6: residual 0.63, P < D.
        ("6 points, τ = 1", &[0.57, 1.288, -0.245, -0.108, -1.336, -0.741], &[0.197, 0.036, -0.869, -0.666, -0.869, -0.958], 0.0, &[1.0]),
        // Two points: relative gap −1e-7, residual 1.5e-8.
        ("2 points, τ = 1", &[-0.852, -0.539], &[-0.371, -0.428], 0.0, &[1.0]),
        // τ = 1 warm-started from τ = 20 (cold it passed): residual 1.7e-9 > 1e-9.
        ("3 points, λ = 0.1, τ = 1 after 20", &[-1.6351, -0.1385, 1.9468], &[-0.9857, -0.2404, 0.8152], 0.1, &[1.0, 20.0]),
        // Relative gap 3.2e-6 at τ = 20.
        ("6 points, τ = 20",
         &[-0.8254639319887642, -0.08914790377925397, 1.5192855991571133, -1.7756728263001267, 0.4846353961657692, 1.8304330514251217],
         &[0.6985631840248259, 0.6227420520471072, -0.6889784793253433, 0.8786844767121438, -0.19829089159557767, 0.9927730618430486], 0.0, &[20.0]),
        // Residual 2.4e-7 at τ = 0.05.
        ("6 points, τ = 0.05",
         &[-0.7643820139665689, -0.6599289064413596, -1.142937456430706, 0.9450869431244664, 0.015921793772363912, 1.332254668658695],
         &[0.2998005193023463, 0.4523066724454585, -0.7835665321030862, 0.08361294025637656, 0.39541051026893004, 0.8455536413742542], 0.0, &[0.05]),
    ];
    let failed = failing(&cases);
    assert!(failed.is_empty(), "not certified: {failed:?}");
}

/// Twelve points, three of them within 0.05–0.07 of each other, with y swinging by ±0.8 between
/// them (found by a random stress run, 4 096 directions): the undamped model step runs ~20 away
/// while the steps that D accepts are ~0.01 long, and resetting the damping after each good step
/// threw that away — 200 iterations, relative gap −1.3e-2, residual 1.7e-5 at τ = 0.1 (and 6
/// of 13 τ uncertified along its path). The ascent's trust radius keeps the damping in scale.
#[test]
fn nearly_coincident_abscissas_are_certified() {
    #[rustfmt::skip]
    let data = Data::new(
        vec![-1.7337459760311071, -1.5567636446499926, -1.488991131807277, -1.443811228378739, -1.2422000839786864, -0.39714337945508627, 0.15948628259433306, 0.5186230089957702, 0.8980480180429833, 1.9569315108913266, 2.2304575679364245, 2.60174883034456],
        vec![-0.16197489449091274, -0.7378526469930333, 0.820034112631113, -0.29243195209348216, -0.08367802705653271, 0.16669754408369997, 0.8085935490840797, -0.15874345858186967, 0.8354421686853286, 0.0032978822404630126, 0.0636499248718676, 0.04701317117433268],
    )
    .unwrap();
    let report = solve(&data, &params(vec![0.1], 0.0, Width::Directions(4096)));
    check_path("12 points, nearly coincident x, τ = 0.1", &report);
}

/// Thirteen random points, two of them 0.0012 apart with y 0.94 and −0.03 (found by a random
/// check of one-τ solves; law uniform-kinks, 256 directions, τ = 3): the ascent converged on
/// its model (relative gap 5e-13) but the share LP over its split structure left a residual of
/// 4–5e-9 in every round of the solver, against the certificate's 1e-9. The recovered measure
/// is now polished by one model step on its own split structure (2e-11).
#[test]
fn a_residual_that_just_misses_is_polished() {
    #[rustfmt::skip]
    let data = Data::new(
        vec![-1.8264068591584386, -1.3757635778003428, -1.1840034295438044, -0.5001997870880328, 0.09873111541075508, 0.31924692279270594, 0.5186893094063585, 0.7006827047633362, 1.0251497952798045, 2.20276883111298, 2.6173488906403763, 2.6185865888353597, 2.9761008930633377],
        vec![0.24814363792713068, -0.6385145005727089, 0.5179943097525421, -0.6389337088038749, 0.43692466679009345, 0.9729367862878069, 0.959519911203423, -0.668509035495773, 0.7836197187532019, -0.7783423316873486, 0.9359610256783248, -0.0346762658154951, 0.09664148145403773],
    )
    .unwrap();
    let p = PathParams { law: Law::UniformKinks, ..params(vec![3.0], 0.0, Width::Directions(256)) };
    check_path("13 points, two 0.0012 apart, uniform-kinks, N = 256, τ = 3", &solve(&data, &p));
}

/// Ten random points, two of them 0.005 apart (Gaussian law, 256 directions), along 9 τ over
/// [1e-2, 1e2]: at τ = 0.01 the recovered residual was 1.2e-7 and the undamped polish step's
/// KKT system singular (few active neurons at the rich end); damped polish steps certify it.
#[test]
fn a_singular_polish_is_damped() {
    #[rustfmt::skip]
    let data = Data::new(
        vec![-2.9904915002668444, -0.8115837170183964, -0.5195997438613276, -0.5134528869653678, -0.11338909551455867, 0.3264071434664464, 1.8801090429778382, 2.6460810678327293, 2.6934490542182807, 2.6983155931289478],
        vec![-0.9440500318323153, -0.5407899374459522, -0.6455774821228346, 0.16892174155688267, 0.7220177217066497, 0.5968778811548521, 0.5941951252709925, 0.6328747411213818, -0.4894119198253881, 0.683489664548192],
    )
    .unwrap();
    let report = solve(&data, &params(log_range(1e-2, 1e2, 9).unwrap(), 0.0, Width::Directions(256)));
    check_path("10 points, two 0.005 apart, N = 256, 9 τ over [1e-2, 1e2]", &report);
}

/// Twenty random points (uniform x in [−3, 3], y in [−1, 1]; 4 096 directions), τ = 1 warm-started
/// from τ = 10: in the rich regime the optimum lies close to the edge of the dual's domain,
/// where `D` falls to −∞ faster than any quadratic model sees, and steps stopped 5 % short of
/// the edge were rejected over and over — 200 iterations, uncertified. The ascent now halves the
/// fraction of the way to the edge a step may go after each such rejection.
#[test]
fn rich_regime_steps_near_the_domain_edge_are_certified() {
    #[rustfmt::skip]
    let data = Data::new(
        vec![-2.748717981780924, -2.4559767750489634, -2.4352592626246894, -1.8920379368707403, -1.179592424252847, -0.28572267894108805, -0.2060995794013598, 0.04704763837362691, 0.07145183425083301, 0.3586343164829757, 0.524308973099382, 0.6933762274714246, 0.7792963213008113, 0.9235352012030429, 1.1606308952474347, 1.7578612351197158, 1.857867206203065, 2.545263504142376, 2.788546686753401, 2.8931605247926697],
        vec![-0.6850118097196751, -0.9699985261007902, 0.05676253234095752, -0.88089778966229, -0.6195834744041417, -0.5161139726695705, -0.9398348215504229, -0.07213107755343096, -0.11893776668668643, 0.6848542570370639, 0.03824822952815343, 0.2805834158383542, -0.0004536955864167247, 0.3248990637807363, -0.08534023680088465, -0.4436742006722283, 0.9953124009261687, 0.9913832833123983, 0.6804310989857236, 0.4156192429958989],
    )
    .unwrap();
    let report = solve(&data, &params(vec![10.0, 1.0], 0.0, Width::Directions(4096)));
    check_path("20 random points, τ = 1 after 10", &report);
}

/// Fifty random abscissas of `sin 2x` plus 0.1·N(0, 1) noise.
fn fifty_points() -> Data {
    #[rustfmt::skip]
    let data = Data::new(
        vec![-2.7750260493480905, -2.7205039162934623, -2.652006451351759, -2.642392980202604, -2.6232661501600614, -2.5808674585522864, -2.5653822799947434, -2.45572191993681, -2.2932465715297896, -2.2571882331021262, -2.134469499855375, -2.0949049564529885, -1.9156417204563752, -1.7642477230840408, -1.6605662123579128, -1.5354209356670827, -1.2723734106588809, -1.2623442820099424, -1.2013980188179059, -1.1491090553883938, -1.115116977739251, -1.0570034110010258, -0.8058664985244866, -0.7656147436456129, -0.6199171520953191, -0.4528848651449162, -0.43444616598358277, -0.39812589802568477, -0.28089374177534765, 0.04461439913652132, 0.15117902286870866, 0.21529202584013518, 0.2864667942573469, 0.44654226155202625, 0.4626176917049918, 0.48960098197479773, 0.5133711810458323, 0.7645993344335356, 0.8334808135571041, 0.9056068382391222, 1.0823998390907157, 1.1939666023774276, 1.3766717366353056, 1.7662768891349465, 1.8967581547201888, 1.9611127480322281, 2.1508107542920776, 2.250824973440573, 2.6862536547420337, 2.85753063355752],
        vec![0.7189401457371783, 0.7398667473507595, 0.6835704310529875, 0.923389658435345, 0.9276386531821387, 0.995315583952036, 1.05780985103394, 1.0164782775388708, 1.0040129958681667, 0.8505426859061027, 0.9648211201460962, 0.8053589155462538, 0.5910284827884796, 0.25084318355428536, 0.08181532848565076, -0.12380388040635246, -0.4331526676947961, -0.7816918899940215, -0.8191693176891697, -0.7229561481181199, -0.6460019304726294, -0.7982039377071524, -1.1891565392151806, -1.251040817724439, -0.9099904475121571, -0.8605265672074051, -0.8755928718827493, -0.6170025349594144, -0.42252118267494476, 0.1048356301226024, 0.32234976113567837, 0.46083789525492325, 0.7014999198965886, 0.8409123440744951, 0.8506273568497529, 0.8848263393731671, 0.6987862976019064, 1.1273082940174872, 1.0908898881401499, 1.0242010573248173, 0.6313191741630308, 0.6209437653672302, 0.462798843641414, -0.5621986175611721, -0.6251188992495784, -0.6017764074397771, -1.0479334926311115, -0.8168659689647388, -0.7347232792224939, -0.5530656027460822],
    )
    .unwrap();
    data
}

/// On the fifty points `J` is so ill-conditioned (the smooth Newton step from τ = 100's
/// optimum is 5e5 long) that hundreds of sources change pieces along each model step; the
/// ascent progresses by line searches along them (before: 200 damped iterations, uncertified).
#[test]
fn fifty_points_are_certified_below_the_kernel_end() {
    let report = solve(&fifty_points(), &params(vec![100.0, 31.622776601683793], 0.0, Width::Directions(4096)));
    check_path("50 points of sin 2x + noise, τ = 31.6 after 100", &report);
}

/// Toward the rich end the optimum splits ~50 sources; the share regularization of the model's
/// KKT systems (1e-10·|D| before) then made every model step predict a small loss (−4e-9 to
/// −6e-8 against a round-off level of 1e-10) and the ascent stalled at residual 4e-6. Seeded
/// with the certified α at τ = 10^-1.5 (from the path of the README's table).
#[test]
fn fifty_points_near_the_rich_end_are_certified() {
    #[rustfmt::skip]
    let alpha = [-106.16912330086463, 273.31466987018405, -1342.8864219084567, 1763.8805713854072, -590.0034217420751, -710.2148852787473, 810.513269903058, -161.77894293380896, 338.64579036471423, -353.8382708625191, 314.6934705940733, -286.09225166129386, 105.19251160377766, -131.655368496762, 136.57195585223982, -86.37075808838301, 669.1149032575479, -644.4818571722546, 0.05611526006314145, -175.97089538426803, 278.9437987961415, -102.91419747374219, 0.7743402019914676, -32.68683417662705, 34.340304676478475, 235.42796646378991, -355.4652488224518, 119.7976238949049, 11.727620406208406, -12.331204426971203, 0.33118835810354935, -58.29427696038952, 57.25038058918796, 272.16826783740987, -435.39354388616323, 351.61784153593544, -206.739966797575, 17.705125644140264, -0.1145530960036956, 33.193131962198294, -86.03672300806116, 52.586285920380654, 20.70161697428937, -17.363912755213835, -136.49346211600283, 182.86147356085706, -144.59384479742627, 120.9067674408636, -57.82897042509887, 33.40191056327832];
    let data = fifty_points();
    let p = params(vec![0.0266], 0.0, Width::Directions(4096)).check(&data).unwrap();
    let mut path = ScalingPath::new(&data, &p).unwrap();
    assert!(path.seed_warm_start(10f64.powf(-1.5), &alpha));
    let r = path.step().unwrap();
    assert!(r.certified, "τ = 0.0266: relative gap {:e}, residual {:e}", r.relative_gap, r.residual);
}
