//! Measures the infinite-width solution against an independent fine rule (MATH §11).
//!
//! ```text
//! cargo run --release --example continuum_check -- [DATA.csv | --random N SEED] [--taus t1,t2,…]
//!     [--path COUNT] [--fine LOG2] [--no-discrete] [--fd] [--tol REL] [--residual REL] [--samples M]
//! ```
//!
//! Per τ: the residual `max_i |f_α(x_i) − y_i| / max|y|` of today's discrete solver's `α` and of
//! the continuum solver's `α`, both integrated with the fine rule; the continuum curve's
//! distance to the fine-rule curve of its own `α`; today's drawn curve's distance to it; the
//! continuum solver's iterations, integrations, time and integration error estimate.
//!
//! The fine rule shares no code with either solver's integration: a Fibonacci lattice on S² of
//! `2^LOG2` points per hemisphere of `a` (default 18), mirrored `a → −a`, equal weights
//! `mass/N` (Gaussian: `ν0 = 3·Uniform(S²)`); each point moved to its exact minimizer
//! (`Pieces::best`).

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use scaling_path::continuum::newton::JacobianKind;
use scaling_path::continuum::{self, Continuum, ContinuumSettings};
use scaling_path::dual::direction::Pieces;
use scaling_path::network::geometry::Sectors;
use scaling_path::network::init::{Law, Width};
use scaling_path::network::model::{evaluate_sorted, phi};
use scaling_path::{Data, PathParams, solve_path};
use std::time::Instant;

/// The fine rule: Fibonacci lattice, `per_half` points with `a > 0` and their mirrors.
fn fibonacci(per_half: usize, mass: f64) -> (Vec<[f64; 3]>, f64) {
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut t = Vec::with_capacity(2 * per_half);
    for i in 0..per_half {
        let a = 1.0 - (i as f64 + 0.5) / per_half as f64; // in (0, 1): uniform in a on the upper half
        let r = (1.0 - a * a).sqrt();
        let ang = golden * i as f64;
        t.push([a, r * ang.cos(), r * ang.sin()]);
        t.push([-a, r * ang.cos(), r * ang.sin()]);
    }
    let w = mass / t.len() as f64;
    (t, w)
}

/// `f_α` on the data and on `grid` with the fine rule.
fn fine_fit(x: &[f64], alpha: &[f64], tau: f64, rule: &(Vec<[f64; 3]>, f64), grid: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let sectors = Sectors::new(x);
    let pieces = Pieces::new(&sectors, x, alpha);
    assert!(pieces.in_domain(), "α outside the domain");
    let thetas: Vec<[f64; 3]> = rule.0.iter().map(|t| pieces.best(*t).theta).collect();
    let m = tau * tau * rule.1;
    let data: Vec<f64> = x.iter().map(|&xi| thetas.iter().map(|th| m * phi(*th, xi)).sum()).collect();
    let masses = vec![m; thetas.len()];
    (data, evaluate_sorted(&thetas, &masses, grid))
}

fn random_data(n: usize, seed: u64) -> Data {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut u = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let mut x: Vec<f64> = (0..n).map(|_| -2.0 + 4.0 * u()).collect();
    if n >= 2 {
        x[1] = x[0] + 1e-3; // two nearly coincident abscissas
    }
    let y: Vec<f64> = (0..n).map(|_| -1.0 + 2.0 * u()).collect();
    Data::new(x, y).expect("valid data")
}

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut data: Option<Data> = None;
    let mut taus: Vec<f64> = vec![0.01, 0.3, 3.0, 30.0];
    let mut fine_log2 = 18;
    let mut discrete = true;
    let mut settings = ContinuumSettings::default();
    let (mut tol, mut samples): (Option<f64>, Option<usize>) = (None, None);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--random" => {
                data = Some(random_data(args[i + 1].parse().expect("N"), args[i + 2].parse().expect("SEED")));
                i += 2;
            }
            "--taus" => {
                taus = args[i + 1].split(',').map(|v| v.parse().expect("a number")).collect();
                i += 1;
            }
            "--path" => {
                taus = scaling_path::input::params::log_range(1e-3, 1e3, args[i + 1].parse().expect("count")).expect("taus");
                i += 1;
            }
            "--fine" => {
                fine_log2 = args[i + 1].parse().expect("LOG2");
                i += 1;
            }
            "--no-discrete" => discrete = false,
            "--tol" => {
                tol = Some(args[i + 1].parse().expect("tolerance"));
                i += 1;
            }
            "--samples" => {
                samples = Some(args[i + 1].parse().expect("samples"));
                i += 1;
            }
            "--residual" => {
                settings.residual_tol = args[i + 1].parse().expect("residual tolerance");
                i += 1;
            }
            "--fd" => settings.jacobian = JacobianKind::FiniteDifference,
            path => data = Some(Data::parse_bytes(&std::fs::read(path).expect("readable"), path).expect("data")),
        }
        i += 1;
    }
    let data = data.unwrap_or_else(|| random_data(10, 1));
    let scale = data.max_abs_y().max(1e-300);
    let params = PathParams { taus: taus.clone(), width: Width::Directions(4096), ..PathParams::default() };
    let grid = params.check(&data).expect("params").grid().points();
    let old = if discrete {
        let t0 = Instant::now();
        let report = solve_path(&data, &params.check(&data).expect("params"), |_, _, _| {}).expect("discrete path");
        eprintln!("discrete path: {:.2} s", t0.elapsed().as_secs_f64());
        Some(report)
    } else {
        None
    };
    let mut problem = Continuum::new(&data.x, &data.y, 0.0, Law::Gaussian).expect("continuum problem");
    if let Some(t) = tol {
        problem.settings.tolerance = t * data.max_abs_y().max(1.0);
    }
    if let Some(m) = samples {
        problem.settings.envelope.samples = m;
    }
    let t0 = Instant::now();
    let sols = continuum::solve_path(&problem, &taus, settings);
    eprintln!("continuum path: {:.3} s (n = {})", t0.elapsed().as_secs_f64(), data.len());
    let rule = fibonacci(1 << fine_log2, 3.0);
    println!("tau      old_res   new_res   new_own   int_err   curve_new curve_est old_curve  iters evals nodes intervals/node  time_s");
    for (q, sol) in sols.iter().enumerate() {
        let tau = taus[q];
        let (fit_new, curve_fine_new) = fine_fit(&data.x, &sol.eval.alpha, tau, &rule, &grid);
        let res_new = max_abs_diff(&fit_new, &data.y) / scale;
        let (curve_new, curve_err) = continuum::curve(&problem, &sol.eval, &grid);
        let curve_diff = max_abs_diff(&curve_new, &curve_fine_new) / scale;
        let curve_est = curve_err.iter().fold(0.0f64, |m, v| m.max(*v)) / scale;
        let (res_old, old_curve) = match &old {
            Some(r) => {
                let t = &r.path[q];
                let (fit_old, _) = fine_fit(&data.x, &t.alpha, tau, &rule, &grid);
                (max_abs_diff(&fit_old, &data.y) / scale, max_abs_diff(&t.fit.y, &curve_fine_new) / scale)
            }
            None => (f64::NAN, f64::NAN),
        };
        let integ = &sol.eval.integration;
        println!(
            "{tau:<8.3e} {res_old:9.2e} {res_new:9.2e} {:9.2e} {:9.2e} {curve_diff:9.2e} {curve_est:9.2e} {old_curve:9.2e} {:5} {:5} {:5} {:8.1} {:8.3}",
            sol.residual / scale,
            sol.integration_error / scale,
            sol.iterations,
            sol.evaluations,
            integ.nodes,
            integ.intervals as f64 / integ.nodes.max(1) as f64,
            sol.seconds
        );
    }
}
