//! End-to-end tests of the `scaling-path` binary: every check recomputes what it can from the
//! printed JSON alone (independently of the library), and every bad input must give one clean
//! `error:` line, the documented exit code and no JSON.

mod common;

use common::{EXAMPLE, floats, run, run_fails, temp_file};
use serde_json::Value;

/// The example with two disagreeing points at x = −0.2.
const DUPLICATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/duplicates.csv");

/// A successful run: raw stdout, stdout parsed as JSON, stderr.
struct JsonRun {
    text: String,
    json: Value,
    stderr: String,
}

/// The lines of `stderr` other than the infinite-width check's one warning (the quadrature's α
/// missing the data at infinite width, `tests/cli_exact.rs`), which most default runs print.
fn without_width_warning(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| !l.contains("is not the infinite-width solution")).collect()
}

impl JsonRun {
    /// Asserts that stderr holds nothing but the infinite-width check's line: no progress (not a
    /// terminal) and no other warning (every τ certified).
    fn assert_quiet(&self) {
        assert!(without_width_warning(&self.stderr).is_empty(), "unexpected stderr: {}", self.stderr);
    }
}

/// Runs `args`, asserts exit code 0 and parses stdout as JSON.
fn run_json(args: &[&str]) -> JsonRun {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})"));
    JsonRun { text, json, stderr }
}

/// Runs `args`, checks the report (structure first, then accuracy), then that stderr is quiet.
fn run_checked(args: &[&str], lambda: f64, sources: Option<usize>) -> (JsonRun, Vec<f64>) {
    let run = run_json(args);
    let taus = check_report(&run.json, lambda, sources);
    run.assert_quiet();
    (run, taus)
}

fn rows(v: &Value, width: usize) -> Vec<Vec<f64>> {
    let rows: Vec<Vec<f64>> = v.as_array().expect("an array of rows").iter().map(floats).collect();
    assert!(rows.iter().all(|r| r.len() == width), "rows must have {width} numbers");
    rows
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().expect("an object").keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

/// Checks a path report against the JSON contract and recomputes, from the JSON alone, the fit
/// at the data, the shares, the primal value and the certificate. The structural checks run on
/// every τ first, the accuracy targets after, so that a failure says which kind it is.
/// Returns the taus.
fn check_report(json: &Value, lambda: f64, expected_sources: Option<usize>) -> Vec<f64> {
    // The contract's keys, plus the limits: the kernel limit when the abscissas are distinct
    // (repeated ones make K(X, X) singular, possible at λ > 0), the rich limit at λ = 0.
    let xs = floats(&json["data"]["x"]);
    // (At λ = 0 repeated points are merged, so the abscissas the kernel sees are distinct.)
    let distinct = lambda == 0.0 || xs.iter().enumerate().all(|(i, a)| xs[..i].iter().all(|b| a != b));
    let mut expected = vec!["data", "init"];
    if distinct {
        expected.push("kernel_limit");
    }
    expected.extend(["lambda", "path"]);
    if lambda == 0.0 {
        expected.push("rich_limit");
    }
    assert_eq!(keys(json), expected);
    if distinct {
        assert_eq!(keys(&json["kernel_limit"]), ["fit", "kernel", "norm"]);
    }
    if lambda == 0.0 {
        let rich = &json["rich_limit"];
        assert!(rich["cost"].as_f64().unwrap() >= 0.0 && rich["gap"].as_f64().unwrap().abs() <= 1e-9 * rich["cost"].as_f64().unwrap().max(1.0));
        assert_eq!(floats(&rich["kinks"]).len(), floats(&rich["slope_changes"]).len());
    }
    assert_eq!(keys(&json["data"]), ["x", "y"]);
    let (x, y) = (floats(&json["data"]["x"]), floats(&json["data"]["y"]));
    assert_eq!(x.len(), y.len());
    assert_eq!(json["lambda"].as_f64(), Some(lambda));
    let init = &json["init"];
    let weights = floats(&init["weights"]);
    let sources = rows(&init["neurons"], 3);
    assert_eq!(weights.len(), sources.len());
    if let Some(m) = expected_sources {
        assert_eq!(weights.len(), m);
    }
    let scale_y = y.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    let mut accuracy = Vec::new();
    for entry in json["path"].as_array().expect("path is an array") {
        let tau = entry["tau"].as_f64().expect("tau");
        let alpha = floats(&entry["alpha"]);
        assert_eq!(alpha.len(), x.len());
        let number = |name: &str| entry[name].as_f64().unwrap_or_else(|| panic!("tau {tau}: {name} is not a number"));
        let (primal, dual, gap, reported_residual) = (number("primal"), number("dual"), number("gap"), number("residual"));
        assert_eq!(keys(&entry["fit"]), ["x", "y"]);
        assert_eq!(floats(&entry["fit"]["x"]).len(), floats(&entry["fit"]["y"]).len());
        let mut share_sum = vec![0.0; sources.len()];
        let mut f = vec![0.0; x.len()];
        let mut transport = 0.0;
        for r in rows(&entry["neurons"], 5) {
            let p = r[0] as usize;
            assert!(r[0] == p as f64 && p < sources.len(), "tau {tau}: bad source index {}", r[0]);
            assert!(r[1] >= 0.0, "tau {tau}: negative share {}", r[1]);
            let mass = weights[p] * r[1];
            share_sum[p] += r[1];
            for (fi, &xi) in f.iter_mut().zip(&x) {
                *fi += mass * r[2] * (r[3] * xi + r[4]).max(0.0);
            }
            let t = &sources[p];
            transport += mass * ((r[2] - tau * t[0]).powi(2) + (r[3] - tau * t[1]).powi(2) + (r[4] - tau * t[2]).powi(2));
        }
        for (p, s) in share_sum.iter().enumerate() {
            assert!((s - 1.0).abs() <= 1e-9, "tau {tau}: shares of source {p} sum to {s}");
        }
        let residual = (0..x.len()).map(|i| (f[i] - y[i] + lambda * alpha[i]).abs()).fold(0.0, f64::max);
        let fit_term = if lambda > 0.0 { (0..x.len()).map(|i| (f[i] - y[i]).powi(2)).sum::<f64>() / (2.0 * lambda) } else { 0.0 };
        let recomputed = transport + fit_term;
        assert!((primal - recomputed).abs() <= 1e-9 * primal.abs(), "tau {tau}: primal {primal} vs recomputed {recomputed}");
        assert!((gap - (primal - dual)).abs() <= 1e-12 * primal.abs(), "tau {tau}: gap {gap} vs primal - dual {}", primal - dual);
        assert!(dual <= primal + 1e-12 * primal.abs(), "tau {tau}: dual {dual} > primal {primal}");
        let agree = (reported_residual - residual).abs() <= 1e-9 * scale_y;
        assert!(agree, "tau {tau}: reported residual {reported_residual:e}, recomputed {residual:e}");
        accuracy.push((tau, residual, gap / primal.abs()));
    }
    // λ = 0: |f(x_i) − y_i| ≤ 1e-8·max(1, max|y|); λ > 0: |f(x_i) − y_i + λα_i| ≤ 1e-8.
    let residual_target = if lambda == 0.0 { 1e-8 * scale_y } else { 1e-8 };
    let missed: Vec<String> = accuracy
        .iter()
        .filter(|&&(_, residual, rel_gap)| !(residual <= residual_target && rel_gap <= 1e-6))
        .map(|(tau, residual, rel_gap)| format!("tau {tau}: residual {residual:e} (target {residual_target:e}), relative gap {rel_gap:e} (target 1e-6)"))
        .collect();
    assert!(missed.is_empty(), "accuracy targets missed:\n{}", missed.join("\n"));
    accuracy.iter().map(|a| a.0).collect()
}

#[test]
fn happy_path_satisfies_the_contract_and_the_certificate() {
    let run = run_json(&["path", "--data", EXAMPLE, "--tau", "0.1,1,10", "--directions", "1024"]);
    let json = &run.json;
    assert_eq!(json["init"]["law"], "gaussian");
    assert_eq!(json["init"]["symmetric"], true);
    let weights = floats(&json["init"]["weights"]);
    assert!((weights.iter().sum::<f64>() - 3.0).abs() <= 1e-9, "mass of nu0 is {}", weights.iter().sum::<f64>());
    assert_eq!(floats(&json["data"]["x"]), [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7]);
    assert_eq!(floats(&json["data"]["y"]), [0.3, -0.4, 0.6, -0.1, 0.5, -0.3]);
    let taus = check_report(json, 0.0, None);
    run.assert_quiet();
    assert_eq!(taus, [0.1, 1.0, 10.0]);
    for entry in json["path"].as_array().unwrap() {
        assert_eq!(floats(&entry["alpha"]).len(), 6);
        assert_eq!(floats(&entry["fit"]["x"]).len(), 401, "default grid has 401 points");
    }
}

#[test]
fn taus_come_out_increasing_whatever_the_input_order() {
    let (_, taus) = run_checked(&["path", "--data", EXAMPLE, "--tau=10,0.3", "--directions=512"], 0.0, None);
    assert_eq!(taus, [0.3, 10.0]);
}

#[test]
fn lambda_fits_disagreeing_duplicates() {
    let (_, taus) = run_checked(&["path", "--data", DUPLICATES, "--lambda", "0.1", "--tau", "0.3,3", "--directions", "512"], 0.1, None);
    assert_eq!(taus, [0.3, 3.0]);
    // A small λ written in exponent form parses too.
    run_checked(&["path", "--data", DUPLICATES, "--lambda", "1e-2", "--tau", "1", "--directions", "512"], 1e-2, None);
}

/// The `"neurons":[[…]]` substring of `"init"` in the raw output.
fn init_neurons_text(text: &str) -> &str {
    let init = text.find("\"init\":").expect("init");
    let start = init + text[init..].find("\"neurons\":[[").expect("init.neurons");
    let end = start + text[start..].find("]]").expect("end of init.neurons") + 2;
    &text[start..end]
}

#[test]
fn finite_width_is_seeded() {
    let args = |seed: &'static str| ["path", "--data", EXAMPLE, "--tau", "1", "--width", "200", "--seed", seed];
    let (a, b, c) = (run_json(&args("7")), run_json(&args("7")), run_json(&args("8")));
    assert_eq!(init_neurons_text(&a.text), init_neurons_text(&b.text));
    assert_ne!(init_neurons_text(&a.text), init_neurons_text(&c.text));
    assert_eq!((&a.json["init"]["kind"], &a.json["init"]["seed"]), (&Value::from("sampled"), &Value::from(7)));
    assert!(floats(&a.json["init"]["weights"]).iter().all(|&w| w == 1.0 / 200.0));
    check_report(&a.json, 0.0, Some(200));
    a.assert_quiet();
}

#[test]
fn odd_width_is_fine_when_asymmetric() {
    let (run, _) = run_checked(&["path", "--data", EXAMPLE, "--tau", "1", "--width", "201", "--asymmetric"], 0.0, Some(201));
    assert_eq!(run.json["init"]["symmetric"], false);
}

#[test]
fn grid_accepts_negative_numbers_in_both_spellings() {
    for grid in [&["--grid", "-3:3:601"][..], &["--grid=-3:3:601"][..]] {
        let mut args = vec!["path", "--data", EXAMPLE, "--tau", "1", "--directions", "512"];
        args.extend_from_slice(grid);
        let json = run_json(&args).json;
        let fit_x = floats(&json["path"][0]["fit"]["x"]);
        assert_eq!(fit_x.len(), 601);
        assert_eq!((fit_x[0], fit_x[600]), (-3.0, 3.0));
        assert_eq!(floats(&json["path"][0]["fit"]["y"]).len(), 601);
    }
}

#[test]
fn tau_range_gives_log_spaced_taus() {
    let (_, taus) = run_checked(&["path", "--data", EXAMPLE, "--tau-range", "1e-1:1e1:3", "--directions", "512"], 0.0, None);
    assert_eq!(taus.len(), 3);
    assert!((taus[0] - 0.1).abs() < 1e-15 && (taus[1] - 1.0).abs() < 1e-12 && (taus[2] - 10.0).abs() < 1e-12, "{taus:?}");
}

/// Whatever the solver achieves at hard (small) τ, the output stays usable: exit 0, the JSON is
/// printed, and there is exactly one stderr warning per τ reported `certified: false`.
#[test]
fn uncertified_taus_are_warned_about_one_line_each() {
    let run = run_json(&["path", "--data", EXAMPLE, "--tau", "1e-3,1e-2", "--directions", "512"]);
    let uncertified: Vec<f64> = run.json["path"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["certified"] == false)
        .map(|e| e["tau"].as_f64().unwrap())
        .collect();
    let warnings = without_width_warning(&run.stderr);
    assert_eq!(warnings.len(), uncertified.len(), "stderr: {}", run.stderr);
    for (line, tau) in warnings.iter().zip(&uncertified) {
        assert!(line.starts_with(&format!("warning: tau = {tau}:")), "{line}");
        assert!(line.contains("relative gap") && line.contains("residual"), "{line}");
    }
}

#[test]
fn summary_prints_one_line_per_tau_and_the_worst_values() {
    let out = run(&["summary", "--data", EXAMPLE, "--tau", "0.1,1,10", "--directions", "512"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(without_width_warning(&String::from_utf8_lossy(&out.stderr)).is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let tau_lines: Vec<&str> = text.lines().filter(|l| l.split_whitespace().next().is_some_and(|w| w.parse::<f64>().is_ok())).collect();
    assert_eq!(tau_lines.len(), 3, "{text}");
    // Columns: tau, W²/τ², primal, rel.gap, residual, split, certified, inf.width.
    assert!(tau_lines.iter().all(|l| l.split_whitespace().nth(6) == Some("yes")), "{text}");
    assert!(tau_lines.iter().all(|l| l.split_whitespace().nth(7).and_then(|w| w.parse::<f64>().ok()).is_some_and(|v| v > 0.0)), "{text}");
    // The last line repeats the largest |relative gap| and residual of the table.
    let column_max = |k: usize| tau_lines.iter().map(|l| l.split_whitespace().nth(k).unwrap().parse::<f64>().unwrap().abs()).fold(0.0, f64::max);
    let last = text.lines().last().unwrap();
    let worst: Vec<f64> = last.split([' ', ',']).filter_map(|w| w.parse().ok()).collect();
    assert!(last.starts_with("worst"), "{text}");
    assert_eq!(worst, [column_max(3), column_max(4)], "{text}");
}

#[test]
fn help_lists_options_caps_and_exit_codes() {
    for args in [&["--help"][..], &["help"], &["path", "--help"], &["-h"]] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        for word in ["--data", "--tau", "--tau-range", "--lambda", "--law", "--asymmetric", "--directions", "--width", "--seed", "--grid", "EXIT CODES", "x,y", "summary"] {
            assert!(text.contains(word), "help lacks {word}");
        }
        use scaling_path::input::params::{MAX_DIRECTIONS, MAX_GRID, MAX_POINTS, MAX_TAUS, MAX_WIDTH};
        for cap in [MAX_POINTS, MAX_DIRECTIONS, MAX_WIDTH, MAX_TAUS, MAX_GRID] {
            assert!(text.contains(&cap.to_string()), "help lacks the cap {cap}");
        }
    }
}

#[test]
fn bad_data_files_give_one_clean_error() {
    let missing = std::env::temp_dir().join(format!("scaling-path-cli-{}-missing.csv", std::process::id()));
    let missing = missing.to_string_lossy().into_owned();
    run_fails(&["path", "--data", &missing], 1, &["cannot read", "no such file"]);
    let dir = std::env::temp_dir().to_string_lossy().into_owned();
    run_fails(&["path", "--data", &dir], 1, &["cannot read", "directory"]);
    let cases: [(&str, &[u8], &[&str]); 6] = [
        ("binary.csv", b"x,y\n1,2\n\0\x01\x02", &["not a text file"]),
        ("empty.csv", b"x,y\n", &["empty"]),
        ("word.csv", b"x,y\n1,2\nfoo,3\n", &["line 3", "not a number"]),
        ("nan.csv", b"x,y\n1,2\n2,NaN\n", &["line 3", "not finite"]),
        ("inf.csv", b"x,y\ninf,2\n", &["line 2", "not finite"]),
        ("dup.csv", b"x,y\n0,1\n1,2\n0,3\n", &["points 1 and 3 have the same x", "λ > 0"]),
    ];
    for (name, bytes, words) in cases {
        let file = temp_file(name, bytes);
        run_fails(&["path", "--data", &file, "--directions", "512"], 1, words);
        let _ = std::fs::remove_file(file);
    }
    let json = temp_file("short.json", br#"{"x":[1,2],"y":[1]}"#);
    run_fails(&["summary", "--data", &json], 1, &["2 x values", "1 y values"]);
    let _ = std::fs::remove_file(json);
}

#[test]
fn bad_parameters_give_one_clean_error() {
    let with = |extra: &[&'static str]| -> Vec<&'static str> { [&["path", "--data", EXAMPLE][..], extra].concat() };
    let library_errors: [(&[&str], &[&str]); 18] = [
        (&["--tau", "0"], &["tau", "positive finite", "got 0"]),
        (&["--tau", "-1"], &["tau", "positive finite", "-1"]),
        (&["--tau", "nan"], &["tau", "positive finite"]),
        (&["--tau", "inf"], &["tau", "positive finite", "got inf"]),
        (&["--tau", "1,inf"], &["tau", "positive finite", "got inf"]),
        (&["--tau-range", "0.1:10:0"], &["tau count", "got 0"]),
        (&["--tau-range", "0:10:3"], &["tau", "positive finite"]),
        (&["--lambda", "-1"], &["lambda", "nonnegative"]),
        (&["--directions", "0"], &["directions", "65536", "got 0"]),
        (&["--directions", "65537"], &["directions", "65536", "got 65537"]),
        (&["--width", "0"], &["width", "20000", "got 0"]),
        (&["--width", "20002"], &["width", "20000", "got 20002"]),
        (&["--width", "201"], &["width 201", "even"]),
        (&["--width", "201", "--seed", "3"], &["width 201", "even"]),
        (&["--grid", "1:0:5"], &["grid 1:0:5", "min < max"]),
        (&["--grid", "-3:3:1"], &["grid -3:3:1", "count >= 2"]),
        (&["--grid", "0:1:100001"], &["grid count", "100000"]),
        (&["--law", "cauchy"], &["unknown initial law", "cauchy"]),
    ];
    for (extra, words) in library_errors {
        run_fails(&with(extra), 1, words);
    }
    let usage_errors: [(&[&str], &[&str]); 13] = [
        (&["--lambda", "abc"], &["--lambda expects a number", "'abc'"]),
        (&["--directions", "1.5"], &["--directions expects a whole number", "'1.5'"]),
        (&["--grid", "-3:3"], &["--grid expects XMIN:XMAX:COUNT", "'-3:3'"]),
        (&["--tau", "1,,2"], &["--tau expects a number", "''"]),
        (&["--frobnicate", "1"], &["unknown option", "--frobnicate"]),
        (&["--lambda"], &["--lambda", "needs a value"]),
        (&["--lambda", "--tau", "1"], &["--lambda", "needs a value"]),
        (&["--tau", "1", "--tau-range", "1:10:3"], &["--tau", "--tau-range", "exclusive"]),
        (&["--directions", "512", "--width", "200"], &["--directions", "--width", "exclusive"]),
        (&["--seed", "3"], &["--seed", "requires --width"]),
        (&["--seed", "x", "--width", "2"], &["--seed expects a whole number", "'x'"]),
        (&["--asymmetric=yes"], &["--asymmetric", "no value"]),
        (&["stray"], &["unexpected argument", "stray"]),
    ];
    for (extra, words) in usage_errors {
        let line = run_fails(&with(extra), 2, words);
        assert!(line.contains("(see scaling-path --help)"), "{line}");
    }
    run_fails(&["path", "--tau", "1"], 2, &["missing --data"]);
    run_fails(&["solve", "--data", EXAMPLE], 2, &["unknown command", "solve"]);
    run_fails(&[], 2, &["missing command"]);
}

/// `--budget SECONDS`: a τ not certified in time is reported as it stood — in the JSON, flagged
/// `budget_exhausted` and uncertified, with a warning that says the budget ran out — and bad
/// budgets or combinations are one clean usage error.
#[test]
fn a_time_budget_reports_the_taus_it_cuts_short() {
    let random = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/random-30.csv");
    let run = run_json(&["path", "--data", random, "--tau", "1", "--directions", "256", "--no-width-check", "--budget", "1e-6"]);
    let tau = &run.json["path"][0];
    assert_eq!((tau["certified"].as_bool(), tau["budget_exhausted"].as_bool()), (Some(false), Some(true)));
    assert!(tau["fit"]["y"].as_array().unwrap().iter().all(|v| v.as_f64().is_some_and(f64::is_finite)));
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].starts_with("warning: tau = 1:") && warnings[0].contains("budget of 0.000001 s ran out"), "{}", warnings[0]);
    // A budget that is not reached changes nothing and adds no field.
    let free = run_json(&["path", "--data", EXAMPLE, "--tau", "1", "--directions", "512", "--no-width-check"]);
    let roomy = run_json(&["path", "--data", EXAMPLE, "--tau", "1", "--directions", "512", "--no-width-check", "--budget", "600"]);
    assert_eq!(free.text, roomy.text);
    assert!(!free.text.contains("budget_exhausted"));
    for bad in ["0", "-1", "nan", "1e6"] {
        run_fails(&["path", "--data", EXAMPLE, "--budget", bad], 2, &["--budget", "seconds", "86400"]);
    }
    run_fails(&["path", "--data", EXAMPLE, "--budget", "soon"], 2, &["--budget", "a number"]);
    run_fails(&["path", "--data", EXAMPLE, "--exact", "--budget", "1"], 2, &["--budget", "--exact"]);
    run_fails(&["gd", "--data", EXAMPLE, "--tau", "1", "--width", "10", "--budget", "1"], 2, &["--budget", "--max-steps"]);
}
