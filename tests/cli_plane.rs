//! End-to-end tests of `path` and `summary` on inputs in the plane (`x1,x2,y`): the JSON schema
//! one dimension up, the certificate recomputed from the printed rows alone, and one clean error
//! line for every bad input.

mod common;

use common::{floats, run, run_fails, temp_file};
use serde_json::Value;

/// The paper's setting: 10 points in [−1, 1]² with labels ±1.
const PLANE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/plane-10.csv");

fn run_json(args: &[&str]) -> Value {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    assert!(stderr.is_empty(), "{args:?}: {stderr}");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The schema, and per τ: rows `[p, share, a, w₁, w₂, b]` whose shares sum to 1 per source, whose
/// function interpolates the data, whose transport cost is the reported primal (λ = 0) and
/// within the relative gap of the dual; the grid's fit is that function.
#[test]
fn plane_path_satisfies_the_contract_and_the_certificate() {
    let json = run_json(&["path", "--data", PLANE, "--width", "400", "--law", "balanced", "--tau", "10,0.1,1"]);
    assert_eq!(json["dim"], 2);
    let x: Vec<Vec<f64>> = json["data"]["x"].as_array().expect("x").iter().map(floats).collect();
    let y = floats(&json["data"]["y"]);
    assert!(x.len() == 10 && x.iter().all(|p| p.len() == 2) && y.len() == 10);
    let init = &json["init"];
    assert_eq!(init["kind"], "sampled");
    let sources: Vec<Vec<f64>> = init["neurons"].as_array().expect("neurons").iter().map(floats).collect();
    let weights = floats(&init["weights"]);
    assert!(sources.len() == 400 && sources.iter().all(|t| t.len() == 4));
    let taus: Vec<f64> = json["path"].as_array().expect("path").iter().map(|r| r["tau"].as_f64().expect("tau")).collect();
    assert_eq!(taus, vec![0.1, 1.0, 10.0], "increasing τ");
    let phi = |r: &[f64], p: &[f64]| r[2] * (r[3] * p[0] + r[4] * p[1] + r[5]).max(0.0);
    for entry in json["path"].as_array().expect("path") {
        let tau = entry["tau"].as_f64().expect("tau");
        assert_eq!(entry["certified"], true, "τ {tau}");
        let rows: Vec<Vec<f64>> = entry["neurons"].as_array().expect("rows").iter().map(floats).collect();
        assert!(rows.iter().all(|r| r.len() == 6));
        let mut share = vec![0.0; sources.len()];
        let mut cost = 0.0;
        for r in &rows {
            let p = r[0] as usize;
            share[p] += r[1];
            cost += weights[p] * r[1] * (0..4).map(|k| (r[2 + k] - tau * sources[p][k]).powi(2)).sum::<f64>();
        }
        assert!(share.iter().all(|s| (s - 1.0).abs() < 1e-9), "τ {tau}: shares");
        let residual = x
            .iter()
            .zip(&y)
            .map(|(p, yi)| (rows.iter().map(|r| weights[r[0] as usize] * r[1] * phi(r, p)).sum::<f64>() - yi).abs())
            .fold(0.0, f64::max);
        assert!(residual <= 1e-8, "τ {tau}: residual {residual:.2e} from the rows");
        let (primal, dual) = (entry["primal"].as_f64().expect("P"), entry["dual"].as_f64().expect("D"));
        assert!((cost - primal).abs() <= 1e-9 * primal.abs(), "τ {tau}: cost {cost} vs primal {primal}");
        assert!((primal - dual).abs() <= 1e-6 * primal.abs(), "τ {tau}: P {primal} D {dual}");
        let fit = &entry["fit"];
        let (x1, x2) = (floats(&fit["x1"]), floats(&fit["x2"]));
        let f: Vec<Vec<f64>> = fit["f"].as_array().expect("f").iter().map(floats).collect();
        assert!(f.len() == x2.len() && f.iter().all(|row| row.len() == x1.len()));
        for (j, i) in [(0, 0), (7, 31), (40, 40), (20, 3)] {
            let at = [x1[i], x2[j]];
            let direct: f64 = rows.iter().map(|r| weights[r[0] as usize] * r[1] * phi(r, &at)).sum();
            assert!((f[j][i] - direct).abs() <= 1e-9 * (1.0 + direct.abs()), "τ {tau}: grid");
        }
    }
}

/// The summary: one line per τ, all certified.
#[test]
fn plane_summary_prints_one_line_per_tau() {
    let out = run(&["summary", "--data", PLANE, "--width", "200", "--tau-range", "0.01:100:5"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "{text}");
    assert!(lines[1..6].iter().all(|l| l.split_whitespace().nth(6) == Some("yes")), "{text}");
    assert!(lines[1..6].iter().all(|l| l.split_whitespace().nth(7) == Some("-")), "finite width has no infinite-width check: {text}");
}

#[test]
fn bad_plane_inputs_give_one_clean_error() {
    let cases: [(&str, &[u8], &[&str]); 5] = [
        ("cells.csv", b"x1,x2,y\n1,2,3\n4,5\n", &["line 3", "3 values"]),
        ("nan.csv", b"x1,x2,y\n1,2,3\n4,nan,1\n", &["line 3", "not finite"]),
        ("dup.csv", b"x1,x2,y\n0,1,1\n0.5,0.5,-1\n0,1,-1\n", &["points 1 and 3", "different labels"]),
        ("mixed.json", br#"{"x":[[1,2],3],"y":[1,2]}"#, &["point 2", "1 input coordinate"]),
        ("triple.json", br#"{"x":[[1,2],[1,2,3]],"y":[1,2]}"#, &["point 2", "3 input coordinate"]),
    ];
    for (name, bytes, words) in cases {
        let file = temp_file(name, bytes);
        run_fails(&["path", "--data", &file, "--width", "100"], 1, words);
        let _ = std::fs::remove_file(file);
    }
    run_fails(&["path", "--data", PLANE, "--tau", "1", "--law", "uniform-kinks"], 1, &["plane", "uniform-kinks", "--width"]);
    run_fails(&["path", "--data", PLANE, "--width", "100", "--law", "uniform-kinks"], 1, &["uniform-kinks", "plane"]);
    run_fails(&["summary", "--data", PLANE, "--width", "100", "--exact"], 2, &["--exact", "plane"]);
}

/// Repeated points with the same label are one constraint: the path is that of the distinct
/// points, the merged multiplier split between the copies.
#[test]
fn repeated_plane_points_with_one_label_are_one_constraint() {
    let text = std::fs::read_to_string(PLANE).expect("data");
    let copy = temp_file("repeated.csv", format!("{text}{}\n", text.lines().nth(3).expect("a point")).as_bytes());
    let once = run_json(&["path", "--data", PLANE, "--width", "200", "--tau", "1"]);
    let twice = run_json(&["path", "--data", &copy, "--width", "200", "--tau", "1"]);
    let _ = std::fs::remove_file(copy);
    let (a1, a2) = (floats(&once["path"][0]["alpha"]), floats(&twice["path"][0]["alpha"]));
    assert_eq!(a2.len(), 11);
    assert_eq!(a2[1], a2[10], "the copies share the multiplier");
    assert!((a2[1] + a2[10] - a1[1]).abs() <= 1e-12 * a1[1].abs().max(1.0));
    assert_eq!(once["path"][0]["primal"], twice["path"][0]["primal"]);
}

/// Infinite width in the plane (the balanced law on a lattice): every τ certified for the
/// discretized problem, the independent check's residual and its own error reported, the miss
/// warned about on one line — and a law without a quadrature refused.
#[test]
fn plane_infinite_width_reports_its_check() {
    let out = run(&["path", "--data", PLANE, "--law", "balanced", "--directions", "1024", "--tau", "0.1,100"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["init"]["kind"], "quadrature");
    assert_eq!(json["init"]["count"], 1024);
    for entry in json["path"].as_array().expect("path") {
        assert_eq!(entry["certified"], true);
        let (res, err) = (entry["infinite_width_residual"].as_f64().expect("residual"), entry["infinite_width_error"].as_f64().expect("error"));
        assert!(res.is_finite() && err.is_finite() && err < res, "τ {}: check {res} ± {err}", entry["tau"]);
    }
    assert_eq!(stderr.lines().filter(|l| l.contains("not the infinite-width solution")).count(), 1, "{stderr}");
    // The gaussian law on S³ (its directions; the mass E|θ|² = 4): certified, checked likewise.
    let json = run_json_allowing_warnings(&["path", "--data", PLANE, "--law", "gaussian", "--directions", "1000", "--tau", "1"]);
    let weights = floats(&json["init"]["weights"]);
    assert!((weights.iter().sum::<f64>() - 4.0).abs() < 1e-12, "mass E|θ|² = 4");
    let entry = &json["path"][0];
    assert_eq!(entry["certified"], true);
    assert!(entry["infinite_width_residual"].as_f64().expect("residual").is_finite());
    run_fails(&["path", "--data", PLANE, "--law", "balanced", "--asymmetric", "--directions", "1024"], 1, &["balanced", "unpaired", "--width"]);
}

/// The JSON of a run that may print warnings (an infinite-width check above its threshold).
fn run_json_allowing_warnings(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// `gd` and `compare` on inputs in the plane: the schema one dimension up; each converged run's
/// printed neurons fit the data and cost what the report says; `compare`'s rows agree with its
/// path and runs.
#[test]
fn plane_gd_and_compare_follow_the_schema() {
    let json = run_json(&["compare", "--data", PLANE, "--width", "120", "--seed", "3", "--tau", "0.5,2", "--max-steps", "300000"]);
    let (path, gd) = (&json["path"], &json["gd"]);
    assert_eq!(path["dim"], 2);
    assert_eq!(gd["dim"], 2);
    let x: Vec<Vec<f64>> = gd["data"]["x"].as_array().expect("x").iter().map(floats).collect();
    let y = floats(&gd["data"]["y"]);
    let sources: Vec<Vec<f64>> = gd["init"]["neurons"].as_array().expect("neurons").iter().map(floats).collect();
    let weights = floats(&gd["init"]["weights"]);
    assert_eq!(gd["init"]["neurons"], path["init"]["neurons"], "the same neurons");
    let runs = gd["runs"].as_array().expect("runs");
    let rows = json["comparison"].as_array().expect("rows");
    assert_eq!(runs.len(), 2);
    for (run, row) in runs.iter().zip(rows) {
        let tau = run["tau"].as_f64().expect("tau");
        let neurons: Vec<Vec<f64>> = run["neurons"].as_array().expect("neurons").iter().map(floats).collect();
        assert!(neurons.len() == 120 && neurons.iter().all(|t| t.len() == 4));
        let f = |p: &[f64]| neurons.iter().zip(&weights).map(|(t, w)| w * t[0] * (t[1] * p[0] + t[2] * p[1] + t[3]).max(0.0)).sum::<f64>();
        let residual = x.iter().zip(&y).map(|(p, yi)| (f(p) - yi).abs()).fold(0.0, f64::max);
        assert!((residual - run["residual"].as_f64().expect("r")).abs() <= 1e-9, "τ {tau}: residual from the neurons");
        let cost: f64 = neurons.iter().zip(&sources).zip(&weights).map(|((t, s), w)| w * (0..4).map(|k| (t[k] - tau * s[k]).powi(2)).sum::<f64>()).sum();
        assert!((cost - run["transport_cost"].as_f64().expect("W")).abs() <= 1e-9 * (1.0 + cost), "τ {tau}: W_gd from the neurons");
        let fit = &run["fit"];
        let (x1, x2) = (floats(&fit["x1"]), floats(&fit["x2"]));
        let grid: Vec<Vec<f64>> = fit["f"].as_array().expect("f").iter().map(floats).collect();
        assert!((grid[7][3] - f(&[x1[3], x2[7]])).abs() <= 1e-9, "τ {tau}: f[j][i] = f(x1[i], x2[j])");
        assert_eq!(row["tau"], run["tau"]);
        assert_eq!(row["w_gd"], run["transport_cost"]);
        if run["status"] == "converged" {
            assert_eq!(row["w_path_le_w_gd"], true, "τ {tau}");
        }
    }
    run_fails(&["gd", "--data", PLANE, "--directions", "256", "--law", "balanced", "--tau", "1"], 2, &["--directions", "--width M"]);
    run_fails(&["gd", "--data", PLANE, "--width", "50", "--seed", "1", "--law", "uniform-kinks", "--tau", "1"], 1, &["uniform-kinks", "plane"]);
}
