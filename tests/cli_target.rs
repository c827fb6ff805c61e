//! End-to-end tests of the CLI's ground truth (`--target`): data drawn from the target, the
//! test errors recomputed here from the printed fits and the target written out in Rust, and
//! bad targets refused with one line.

mod common;

use common::{EXAMPLE, floats, run, run_fails};
use serde_json::Value;

fn run_json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// RMS of `f − g` over the grid points within `[lo, hi]`.
fn rms(x: &[f64], f: &[f64], g: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    let d: Vec<f64> = x.iter().zip(f).filter(|(x, _)| **x >= lo && **x <= hi).map(|(&x, &f)| (f - g(x)).powi(2)).collect();
    (d.iter().sum::<f64>() / d.len() as f64).sqrt()
}

#[test]
fn path_from_a_sampled_target_reports_every_test_error() {
    let args = ["path", "--target", "sin(1.5*x)", "--points", "12", "--noise", "0.05", "--target-seed", "3", "--tau-range", "0.01:100:5", "--directions", "1024"];
    let json = run_json(&args);
    assert_eq!(json, run_json(&args), "seeded: the same data and numbers");
    let (x, y) = (floats(&json["data"]["x"]), floats(&json["data"]["y"]));
    assert_eq!(x.len(), 12);
    assert!(x.iter().all(|v| (-2.0..=2.0).contains(v)));
    // The noise is there, and about as large as asked.
    let noise: Vec<f64> = x.iter().zip(&y).map(|(&x, &y)| y - (1.5 * x).sin()).collect();
    assert!(noise.iter().any(|n| n.abs() > 1e-3) && noise.iter().all(|n| n.abs() < 0.05 * 6.0));
    let t = &json["target"];
    assert_eq!((t["name"].as_str(), t["formula"].as_str()), (Some("formula"), Some("sin(1.5*x)")));
    assert_eq!(t["sampling"]["points"].as_u64(), Some(12));
    let errors = floats(&t["test_errors"]);
    let path = json["path"].as_array().unwrap();
    assert_eq!(errors.len(), path.len());
    for (e, p) in errors.iter().zip(path) {
        let want = rms(&floats(&p["fit"]["x"]), &floats(&p["fit"]["y"]), |x| (1.5 * x).sin(), -2.0, 2.0);
        assert!((e - want).abs() <= 1e-12, "tau {}: {e} vs {want}", p["tau"]);
    }
    let k = &json["kernel_limit"]["fit"];
    let want = rms(&floats(&k["x"]), &floats(&k["y"]), |x| (1.5 * x).sin(), -2.0, 2.0);
    assert!((t["kernel_test_error"].as_f64().unwrap() - want).abs() <= 1e-12);
}

#[test]
fn data_from_a_file_are_tested_within_their_range_and_gd_gets_test_errors() {
    let json = run_json(&["gd", "--data", EXAMPLE, "--target", "bump", "--tau", "1,10", "--width", "40", "--seed", "1", "--max-steps", "2000"]);
    let t = &json["target"];
    assert!(t.get("sampling").is_none(), "the data came from a file");
    assert_eq!(floats(&t["test_range"]), [-1.6, 1.7]);
    let runs = json["runs"].as_array().unwrap();
    for (e, r) in floats(&t["test_errors"]).iter().zip(runs) {
        let want = rms(&floats(&r["fit"]["x"]), &floats(&r["fit"]["y"]), |x| (-4.0 * x * x).exp(), -1.6, 1.7);
        assert!((e - want).abs() <= 1e-12);
    }
    let json = run_json(&["compare", "--data", EXAMPLE, "--target", "abs", "--tau", "1", "--width", "40", "--seed", "1", "--max-steps", "2000"]);
    assert_eq!(floats(&json["target"]["gd_test_errors"]).len(), 1);
    assert!(json.get("target").is_some() && json["path"].get("target").is_none());
}

#[test]
fn bad_targets_give_one_clean_error() {
    run_fails(&["path", "--target", "alert(1)"], 1, &["unknown name 'alert'"]);
    run_fails(&["path", "--target", "x +"], 1, &["formula 'x +'", "at character 4"]);
    run_fails(&["path", "--target", "log(x)", "--target-range", "-1:1"], 1, &["not finite"]);
    run_fails(&["path", "--target", "sine", "--points", "0"], 1, &["points must be between 1 and 100, got 0"]);
    run_fails(&["path", "--target", "sine", "--noise", "-1"], 1, &["noise"]);
    run_fails(&["path", "--target", "sine", "--target-range", "2:1"], 2, &["--target-range needs finite LO < HI"]);
    run_fails(&["path", "--data", EXAMPLE, "--noise", "0.1"], 2, &["need --target"]);
    run_fails(&["path"], 2, &["missing --data FILE (or --target"]);
}
