//! What the integration tests share (`tests/cli*.rs`, `tests/continuum.rs`, the certificate
//! tests): running the binary with the checks every run must pass, the one-line error contract,
//! temp files, JSON numbers, the independent fine rule that infinite-width answers are checked
//! against, and the residual a certified τ may have.
#![allow(dead_code)] // each test crate uses its own subset

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The example data set shipped with the crate.
pub const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/example.csv");

/// Runs the binary; asserts the properties every run must have (no panic, no NaN on stdout).
pub fn run(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_scaling-path")).args(args).output().expect("the binary runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert!(!stdout.contains("NaN"), "{args:?} printed NaN");
    out
}

/// Runs `args`, asserts exit `code`, an empty stdout and ONE stderr line `error: …` containing
/// every word of `words` (case-insensitive). Returns that line.
pub fn run_fails(args: &[&str], code: i32, words: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{args:?}: stderr {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: printed {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(stderr.lines().count(), 1, "{args:?}: not one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    for w in words {
        assert!(stderr.to_lowercase().contains(&w.to_lowercase()), "{args:?}: '{w}' missing in: {stderr}");
    }
    stderr
}

/// Writes `bytes` to a fresh file under the temp dir and returns its path.
pub fn temp_file(name: &str, bytes: &[u8]) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let unique = format!("scaling-path-cli-{}-{}-{name}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    let path: PathBuf = std::env::temp_dir().join(unique);
    std::fs::write(&path, bytes).expect("temp file written");
    path.to_string_lossy().into_owned()
}

/// A JSON array of numbers.
pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array().expect("an array").iter().map(|e| e.as_f64().expect("a number")).collect()
}

/// `f_α` at the data `x` and on `grid` by an independent fine rule: a Fibonacci lattice of
/// `per_half` directions with `a > 0` and their mirrors `a → −a`, each moved to its exact
/// minimizer for `α`, with weights `3/N` (the Gaussian's `ν0 = 3·Uniform(S²)`). It shares no code
/// with the solvers' integration.
pub fn lattice_fit(x: &[f64], alpha: &[f64], tau: f64, per_half: usize, grid: &[f64]) -> (Vec<f64>, Vec<f64>) {
    use scaling_path::dual::direction::Pieces;
    use scaling_path::network::geometry::Sectors;
    use scaling_path::network::model::{evaluate_sorted, phi};
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let pieces = Pieces::new(&Sectors::new(x), x, alpha);
    assert!(pieces.in_domain(), "alpha outside the dual's domain");
    let mut thetas = Vec::with_capacity(2 * per_half);
    for i in 0..per_half {
        let a = 1.0 - (i as f64 + 0.5) / per_half as f64;
        let r = (1.0 - a * a).sqrt();
        let ang = golden * i as f64;
        for s in [1.0, -1.0] {
            thetas.push(pieces.best([s * a, r * ang.cos(), r * ang.sin()]).theta);
        }
    }
    let m = tau * tau * 3.0 / thetas.len() as f64;
    let data = x.iter().map(|&xi| thetas.iter().map(|th| m * phi(*th, xi)).sum()).collect();
    (data, evaluate_sorted(&thetas, &vec![m; thetas.len()], grid))
}

/// The residual a certified τ may have: `1e-9 · max(1, max|y|)`, or the round-off of evaluating
/// `f(x_i)` when that is larger — `16 ε τ² Σ_p ω_p |θ_p|² max_i √(1 + x_i²) / 2` over the initial
/// measure (the solver's `residual_floor`, written out again from the report: `tests/certificate.rs`,
/// `tests/properties.rs`).
pub fn residual_allowance(report: &scaling_path::path::report::PathReport, tau: f64) -> f64 {
    let data = &report.data;
    let mass: f64 = report.init.weights.iter().zip(&report.init.neurons).map(|(w, t)| w * (t[0] * t[0] + t[1] * t[1] + t[2] * t[2])).sum();
    let reach = data.x.iter().fold(1.0f64, |m, x| m.max((1.0 + x * x).sqrt()));
    (1e-9 * data.max_abs_y().max(1.0)).max(16.0 * f64::EPSILON * tau * tau * mass * reach / 2.0)
}

/// A seeded stream of deviates for the randomized checks (the same bits on every platform).
pub struct Random(Xoshiro256PlusPlus);

impl Random {
    pub fn new(seed: u64) -> Random {
        Random(Xoshiro256PlusPlus::seed_from_u64(seed))
    }
    /// Uniform in `[0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
    /// Uniform on the unit sphere of `R³`.
    pub fn unit(&mut self) -> [f64; 3] {
        let v = [self.normal(), self.normal(), self.normal()];
        let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
        [v[0] / r, v[1] / r, v[2] / r]
    }
}
