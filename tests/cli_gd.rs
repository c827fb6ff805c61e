//! End-to-end tests of `scaling-path gd`: the JSON contract, recomputed from the printed JSON
//! alone (fit, loss, transport cost, the fit on the grid); the initial neurons identical to
//! `path --width M --seed S`'s; the step cap and a stall reported with one warning line each;
//! and every bad input giving one clean `error:` line, the documented exit code and no JSON.

mod common;

use common::{EXAMPLE, floats, run, run_fails, temp_file};
use serde_json::Value;

/// Runs `args`, asserts exit 0; returns stdout as JSON and stderr.
fn run_json(args: &[&str]) -> (Value, String) {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})"));
    (json, stderr)
}

fn triples(v: &Value) -> Vec<[f64; 3]> {
    v.as_array()
        .expect("an array of rows")
        .iter()
        .map(|r| {
            let r = floats(r);
            assert_eq!(r.len(), 3, "rows are [a, w, b]");
            [r[0], r[1], r[2]]
        })
        .collect()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().expect("an object").keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

fn fit(neurons: &[[f64; 3]], weights: &[f64], x: f64) -> f64 {
    neurons.iter().zip(weights).map(|(t, w)| w * t[0] * (t[1] * x + t[2]).max(0.0)).sum()
}

/// Checks the JSON contract of `gd` and recomputes, from the JSON alone, each run's fit at the
/// data, loss, residual, transport cost and fit on the grid. Returns the taus.
fn check_report(json: &Value, width: usize, grid_count: usize) -> Vec<f64> {
    assert_eq!(keys(json), ["data", "init", "max_steps", "runs"]);
    let (x, y) = (floats(&json["data"]["x"]), floats(&json["data"]["y"]));
    let init = &json["init"];
    assert_eq!(init["kind"], "sampled");
    assert_eq!(init["count"].as_u64(), Some(width as u64));
    let weights = floats(&init["weights"]);
    let start = triples(&init["neurons"]);
    assert_eq!((weights.len(), start.len()), (width, width));
    let mut taus = Vec::new();
    for run in json["runs"].as_array().expect("runs is an array") {
        // `stall_from`, `stall_to`: only for a stall behind a stretch without kinks.
        let stretch = run.get("stall_from").is_some();
        assert_eq!(run.get("stall_to").is_some(), stretch);
        let mut expected = vec!["capped", "converged", "fit", "loss", "neurons", "rejected_steps", "residual", "stall_reason", "status", "step_size", "steps", "target_loss", "tau", "transport_cost"];
        if stretch {
            expected.extend(["stall_from", "stall_to"]);
            expected.sort();
        }
        assert_eq!(keys(run), expected);
        assert_eq!(run["stall_reason"].is_string(), run["status"] == "stalled", "{}", run["stall_reason"]);
        let tau = run["tau"].as_f64().expect("tau");
        let number = |name: &str| run[name].as_f64().unwrap_or_else(|| panic!("tau {tau}: {name} is not a number"));
        let neurons = triples(&run["neurons"]);
        assert_eq!(neurons.len(), width);
        let f: Vec<f64> = x.iter().map(|&xi| fit(&neurons, &weights, xi)).collect();
        let loss = f.iter().zip(&y).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / (2.0 * x.len() as f64);
        let residual = f.iter().zip(&y).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        let transport: f64 = neurons
            .iter()
            .zip(&start)
            .zip(&weights)
            .map(|((t, s), w)| w * (0..3).map(|k| (t[k] - tau * s[k]).powi(2)).sum::<f64>())
            .sum();
        // The JSON carries 17 significant digits; the sums are of terms up to ~τ² in size.
        let size: f64 = neurons.iter().zip(&weights).map(|(t, w)| w * (t[0] * t[0] + t[1] * t[1] + t[2] * t[2])).sum();
        assert!((number("residual") - residual).abs() <= 1e-12 * size.max(1.0), "tau {tau}: residual {} vs {residual}", number("residual"));
        assert!((number("loss") - loss).abs() <= 1e-9 * loss + 1e-24 * size * size, "tau {tau}: loss {} vs {loss}", number("loss"));
        assert!((number("transport_cost") - transport).abs() <= 1e-9 * transport, "tau {tau}: W {} vs {transport}", number("transport_cost"));
        let converged = run["converged"].as_bool().expect("converged");
        assert_eq!(converged, run["status"] == "converged");
        assert_eq!(run["capped"].as_bool(), Some(run["status"] == "capped"));
        if converged {
            assert!(number("loss") <= number("target_loss"));
            let mean_y2 = y.iter().map(|v| v * v).sum::<f64>() / y.len() as f64;
            assert!((number("target_loss") - 1e-12 * mean_y2).abs() <= 1e-15 * mean_y2);
        }
        assert!(number("step_size") > 0.0 && run["steps"].as_u64().unwrap() <= json["max_steps"].as_u64().unwrap());
        let (gx, gy) = (floats(&run["fit"]["x"]), floats(&run["fit"]["y"]));
        assert_eq!((gx.len(), gy.len()), (grid_count, grid_count));
        for (&g, &v) in gx.iter().zip(&gy) {
            let direct = fit(&neurons, &weights, g);
            assert!((v - direct).abs() <= 1e-9 * size.max(1.0), "tau {tau}: fit({g}) = {v} vs {direct}");
        }
        taus.push(tau);
    }
    taus
}

#[test]
fn gd_satisfies_the_contract_and_converges() {
    let (json, stderr) = run_json(&["gd", "--data", EXAMPLE, "--tau", "10,0.1,1", "--width", "200", "--seed", "3", "--grid", "-2:2:41"]);
    assert!(stderr.is_empty(), "unexpected stderr: {stderr}");
    assert_eq!(check_report(&json, 200, 41), [0.1, 1.0, 10.0], "taus come out increasing");
    assert_eq!(json["max_steps"].as_u64(), Some(1_000_000), "the default budget");
    for run in json["runs"].as_array().unwrap() {
        assert_eq!(run["status"], "converged", "tau {}", run["tau"]);
        assert!(run["residual"].as_f64().unwrap() < 1e-5);
    }
    let fit_x = floats(&json["runs"][0]["fit"]["x"]);
    assert_eq!((fit_x[0], fit_x[40]), (-2.0, 2.0));
}

#[test]
fn gd_starts_from_the_neurons_of_path() {
    let (gd, _) = run_json(&["gd", "--data", EXAMPLE, "--tau", "1", "--width", "120", "--seed", "7", "--law", "uniform-kinks"]);
    let (path, _) = run_json(&["path", "--data", EXAMPLE, "--tau", "1", "--width", "120", "--seed", "7", "--law", "uniform-kinks"]);
    assert_eq!(gd["init"], path["init"]);
    assert_eq!(gd["data"], path["data"]);
    assert_eq!(floats(&gd["runs"][0]["fit"]["x"]), floats(&path["path"][0]["fit"]["x"]), "the same default grid");
    let (other, _) = run_json(&["gd", "--data", EXAMPLE, "--tau", "1", "--width", "120", "--seed", "8", "--law", "uniform-kinks"]);
    assert_ne!(gd["init"]["neurons"], other["init"]["neurons"]);
}

#[test]
fn asymmetric_odd_width_and_tau_range() {
    let (json, _) = run_json(&["gd", "--data", EXAMPLE, "--tau-range", "1:100:3", "--width", "51", "--seed", "0", "--asymmetric", "--grid=-1:1:3"]);
    assert_eq!(json["init"]["symmetric"], false);
    let taus = check_report(&json, 51, 3);
    assert!((taus[0] - 1.0).abs() < 1e-15 && (taus[1] - 10.0).abs() < 1e-12 && (taus[2] - 100.0).abs() < 1e-12, "{taus:?}");
}

#[test]
fn the_step_cap_and_a_stall_are_reported_with_one_warning_each() {
    let (json, stderr) = run_json(&["gd", "--data", EXAMPLE, "--tau", "0.01,1", "--width", "200", "--seed", "3", "--max-steps", "50"]);
    check_report(&json, 200, 401);
    assert_eq!(json["max_steps"].as_u64(), Some(50));
    for run in json["runs"].as_array().unwrap() {
        assert_eq!((run["status"].as_str(), run["steps"].as_u64(), run["capped"].as_bool()), (Some("capped"), Some(50), Some(true)));
    }
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("warning: tau = 0.01: gradient descent stopped at the step cap 50 with loss"), "{stderr}");
    assert!(lines[1].starts_with("warning: tau = 1: "), "{stderr}");

    // Every neuron ends inactive at x = 0 (a stationary point that does not fit).
    let three = temp_file("three.csv", b"x,y\n-1,0.5\n0,-0.5\n1,0.5\n");
    let (json, stderr) = run_json(&["gd", "--data", &three, "--tau", "0.001", "--width", "100", "--seed", "1"]);
    let _ = std::fs::remove_file(three);
    check_report(&json, 100, 401);
    let run = &json["runs"][0];
    assert_eq!((run["status"].as_str(), run["converged"].as_bool(), run["capped"].as_bool()), (Some("stalled"), Some(false), Some(false)));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("warning: tau = 0.001: gradient descent stalled after"), "{stderr}");
    assert!(run["stall_reason"].as_str().is_some_and(|r| stderr.contains(r)), "{stderr} / {}", run["stall_reason"]);

    // A plateau behind a stretch with no kink: the reason names the stretch.
    let (json, stderr) = run_json(&["gd", "--data", EXAMPLE, "--tau", "0.01", "--width", "400", "--seed", "0", "--max-steps", "20000"]);
    let run = &json["runs"][0];
    assert_eq!(run["status"].as_str(), Some("stalled"), "{stderr}");
    let reason = "no neuron can bend between x = -0.2 and x = 1.1: the fit is a straight line through those 3 points";
    assert_eq!(run["stall_reason"].as_str(), Some(reason));
    assert_eq!((run["stall_from"].as_f64(), run["stall_to"].as_f64()), (Some(-0.2), Some(1.1)), "the stretch, as numbers");
    assert!(stderr.contains(reason), "{stderr}");
}

/// `compare`: the path and GD from the same neurons, and rows recomputed here from the two
/// embedded reports alone: the sup distance of the printed fits, both costs, and the bound
/// `W_path ≤ W_gd + |α|₁ max|r| + |gap|` at every τ where GD converged (checked here with
/// the printed α, GD's residual and the path's gap).
#[test]
fn compare_prints_the_path_the_runs_and_their_comparison() {
    let (json, stderr) = run_json(&["compare", "--data", EXAMPLE, "--tau-range", "0.001:1000:9", "--width", "200", "--seed", "2", "--max-steps", "60000"]);
    assert_eq!(keys(&json), ["comparison", "gd", "path"]);
    let taus = check_report(&json["gd"], 200, 401);
    assert_eq!(json["path"]["init"], json["gd"]["init"], "the same neurons");
    let rows = json["comparison"].as_array().unwrap();
    assert_eq!(rows.len(), 9);
    let mut checked = 0;
    for ((row, p), g) in rows.iter().zip(json["path"]["path"].as_array().unwrap()).zip(json["gd"]["runs"].as_array().unwrap()) {
        let tau = row["tau"].as_f64().unwrap();
        assert_eq!(Some(tau), p["tau"].as_f64());
        assert!(taus.contains(&tau));
        let (fp, fg) = (floats(&p["fit"]["y"]), floats(&g["fit"]["y"]));
        let sup = fp.iter().zip(&fg).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        // serde_json's default float parsing may be off by an ulp of the fits (size ~1).
        let printed = row["sup_distance"].as_f64().unwrap();
        assert!((printed - sup).abs() <= 1e-14, "tau {tau}: {printed} vs {sup}");
        let (w_path, w_gd) = (p["transport_cost"].as_f64().unwrap(), g["transport_cost"].as_f64().unwrap());
        assert_eq!((row["w_path"].as_f64(), row["w_gd"].as_f64()), (Some(w_path), Some(w_gd)));
        assert_eq!(row["gd_status"], g["status"]);
        if g["converged"].as_bool() == Some(true) {
            let alpha1: f64 = floats(&p["alpha"]).iter().map(|a| a.abs()).sum();
            let slack = alpha1 * g["residual"].as_f64().unwrap() + p["gap"].as_f64().unwrap().abs();
            assert!(w_path <= w_gd + slack, "tau {tau}: W_path {w_path} > W_gd {w_gd} + {slack}");
            assert_eq!(row["w_path_le_w_gd"].as_bool(), Some(true));
            checked += 1;
        } else {
            assert!(row["w_path_le_w_gd"].is_null());
        }
    }
    assert!(checked >= 6, "only {checked} of 9 runs converged: {stderr}");
}

#[test]
fn help_documents_gd() {
    let out = run(&["--help"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for word in ["scaling-path gd", "scaling-path compare", "sup_distance", "--max-steps", "transport_cost", "converged", "capped", "--width M --seed S"] {
        assert!(text.contains(word), "help lacks {word}");
    }
    assert!(text.contains(&scaling_path::gd::MAX_STEPS.to_string()), "help lacks the step cap");
    assert!(text.contains(&scaling_path::gd::DEFAULT_MAX_STEPS.to_string()), "help lacks the default budget");
}

#[test]
fn bad_input_gives_one_clean_error() {
    let with = |extra: &[&'static str]| -> Vec<&'static str> { [&["gd", "--data", EXAMPLE][..], extra].concat() };
    let width = ["--width", "20", "--seed", "1"];
    let with_width = |extra: &[&'static str]| -> Vec<&'static str> { [&with(&width)[..], extra].concat() };

    let missing = std::env::temp_dir().join(format!("scaling-path-cli-gd-{}-missing.csv", std::process::id()));
    let missing = missing.to_string_lossy().into_owned();
    run_fails(&["gd", "--data", &missing, "--width", "20", "--seed", "1"], 1, &["cannot read", "no such file"]);
    let dup = temp_file("dup.csv", b"x,y\n0,1\n1,2\n0,3\n");
    run_fails(&["gd", "--data", &dup, "--width", "20", "--seed", "1"], 1, &["same x", "different y"]);
    let _ = std::fs::remove_file(dup);

    let library_errors: [(&[&str], &[&str]); 8] = [
        (&["--tau", "0"], &["tau", "positive finite", "got 0"]),
        (&["--tau", "-1"], &["tau", "positive finite"]),
        (&["--tau", "1,nan"], &["tau", "positive finite"]),
        (&["--tau-range", "0.1:10:0"], &["tau count", "got 0"]),
        (&["--max-steps", "0"], &["max steps", "100000000", "got 0"]),
        (&["--max-steps", "100000001"], &["max steps", "100000000", "got 100000001"]),
        (&["--grid", "1:0:5"], &["grid 1:0:5", "min < max"]),
        (&["--law", "cauchy"], &["unknown initial law", "cauchy"]),
    ];
    for (extra, words) in library_errors {
        run_fails(&with_width(extra), 1, words);
    }
    let width_errors: [(&[&str], &[&str]); 4] = [
        (&["--width", "0", "--seed", "1"], &["width", "20000", "got 0"]),
        (&["--width", "20002", "--seed", "1"], &["width", "20000", "got 20002"]),
        (&["--width", "21", "--seed", "1"], &["width 21", "even"]),
        (&["--width", "-4", "--seed", "1"], &["--width expects a whole number"]),
    ];
    for (i, (extra, words)) in width_errors.iter().enumerate() {
        run_fails(&with(extra), if i < 3 { 1 } else { 2 }, words);
    }
    let usage_errors: [(&[&str], &[&str]); 11] = [
        (&["--seed", "1"], &["gd needs --width"]),
        (&["--width", "20"], &["gd needs --seed"]),
        (&["--width", "20", "--seed", "1", "--directions", "512"], &["--directions does not apply to gd", "--width M --seed S"]),
        (&["--directions", "512"], &["--directions does not apply to gd"]),
        (&["--width", "20", "--seed", "1", "--lambda", "0.1"], &["it needs λ = 0 (--lambda is 0.1)"]),
        (&["--width", "20", "--seed", "1", "--max-steps", "many"], &["--max-steps expects a whole number", "'many'"]),
        (&["--width", "20", "--seed", "1", "--max-steps", "1e3"], &["--max-steps expects a whole number"]),
        (&["--width", "20", "--seed", "1", "--max-steps"], &["--max-steps", "needs a value"]),
        (&["--width", "20", "--seed", "1", "--tau", "abc"], &["--tau expects a number", "'abc'"]),
        (&["--width", "20", "--seed", "1", "--tau", "1", "--tau", "2"], &["--tau is given more than once"]),
        (&["--width", "20", "--seed", "x"], &["--seed expects a whole number"]),
    ];
    for (extra, words) in usage_errors {
        let line = run_fails(&with(extra), 2, words);
        assert!(line.contains("(see scaling-path --help)"), "{line}");
    }
    run_fails(&["gd", "--width", "20", "--seed", "1"], 2, &["missing --data"]);
    run_fails(&["path", "--data", EXAMPLE, "--max-steps", "10"], 2, &["--max-steps applies to gd only"]);
    run_fails(&["summary", "--data", EXAMPLE, "--max-steps", "10"], 2, &["--max-steps applies to gd only"]);
}
