//! The exact `W²` solver (`numeric::transport`) against independent computations — brute force
//! over permutations for uniform masses, the repository's dense LP for other masses, the sorted
//! (quantile) coupling in one dimension, the squared shift of a translation — and its dual
//! certificate recomputed here from the potentials alone; then the table of transport costs
//! (`path::transport_table`) on `plane-10.csv` and on the line, and the CLI's `transport`.

mod common;

use common::{Random, run, run_fails};
use scaling_path::Error;
use scaling_path::input::params::PathParams;
use scaling_path::input::plane_data::Dataset;
use scaling_path::network::init::Width;
use scaling_path::numeric::lp::{LpOutcome, solve_standard_form};
use scaling_path::numeric::transport::{Transport, wasserstein2};
use scaling_path::path::plane::{PlanePathReport, plane_path};
use scaling_path::path::transport_table::{plane_transport_table, transport_table};

const PLANE_10: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/plane-10.csv");

fn sq<const D: usize>(p: &[f64; D], q: &[f64; D]) -> f64 {
    p.iter().zip(q).map(|(a, b)| (a - b) * (a - b)).sum()
}

fn points<const D: usize>(rng: &mut Random, n: usize, spread: f64) -> Vec<[f64; D]> {
    (0..n).map(|_| std::array::from_fn(|_| spread * rng.normal())).collect()
}

/// Positive masses of total 1 (uniform in [0.1, 1.1) before normalizing).
fn masses(rng: &mut Random, n: usize) -> Vec<f64> {
    let w: Vec<f64> = (0..n).map(|_| 0.1 + rng.uniform()).collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|v| v / total).collect()
}

/// `|a − b| ≤ tol · max(|a|, |b|, floor)`.
fn close(a: f64, b: f64, tol: f64, floor: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(floor)
}

/// The certificate recomputed from the returned plan and potentials alone: the plan's marginals
/// are the masses, its cost is the reported one, `u_i + v_j ≤ c_ij` for every pair (up to the
/// round-off of the terms), and the dual value equals the cost.
fn check_certificate<const D: usize>(t: &Transport, x: &[[f64; D]], a: &[f64], y: &[[f64; D]], b: &[f64]) {
    let (mut out, mut into) = (vec![0.0; a.len()], vec![0.0; b.len()]);
    let mut primal = 0.0;
    for f in &t.plan {
        assert!(f.mass > 0.0);
        out[f.source] += f.mass;
        into[f.target] += f.mass;
        primal += f.mass * sq(&x[f.source], &y[f.target]);
    }
    let total: f64 = a.iter().sum();
    for (got, want) in out.iter().zip(a).chain(into.iter().zip(b)) {
        assert!((got - want).abs() <= 1e-14 * total, "marginal {got} vs mass {want}");
    }
    assert!(close(primal, t.cost, 1e-13, 0.0), "cost {} vs plan {primal}", t.cost);
    let scale: f64 = a.iter().zip(&t.u).map(|(w, p)| w * p.abs()).sum::<f64>() + b.iter().zip(&t.v).map(|(w, p)| w * p.abs()).sum::<f64>();
    let dual: f64 = a.iter().zip(&t.u).map(|(w, p)| w * p).sum::<f64>() + b.iter().zip(&t.v).map(|(w, p)| w * p).sum::<f64>();
    // The dual sum's round-off is relative to its terms' sizes, Σ a|u| + Σ b|v|.
    assert!(close(dual, t.cost, 1e-12, scale), "dual {dual} vs primal {} (scale {scale})", t.cost);
    assert!(close(t.dual, dual, 1e-12, scale));
    for (xi, ui) in x.iter().zip(&t.u) {
        for (yj, vj) in y.iter().zip(&t.v) {
            let c = sq(xi, yj);
            assert!(ui + vj - c <= 1e-12 * (c + ui.abs() + vj.abs()), "u + v = {} > c = {c}", ui + vj);
        }
    }
}

/// Heap's algorithm: the least `(1/n) Σ c_{i, σ(i)}` over all permutations σ.
fn best_permutation<const D: usize>(x: &[[f64; D]], y: &[[f64; D]]) -> f64 {
    let n = x.len();
    let mut perm: Vec<usize> = (0..n).collect();
    let value = |p: &[usize]| p.iter().enumerate().map(|(i, &j)| sq(&x[i], &y[j])).sum::<f64>() / n as f64;
    let mut best = value(&perm);
    let mut c = vec![0; n];
    let mut i = 0;
    while i < n {
        if c[i] < i {
            perm.swap(if i % 2 == 0 { 0 } else { c[i] }, i);
            best = best.min(value(&perm));
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    best
}

/// Equal masses `1/n` on both sides: an optimal plan is a permutation (Birkhoff), so `W²` is the
/// least mean cost over all `n!` of them.
#[test]
fn uniform_masses_match_the_best_permutation() {
    let mut rng = Random::new(11);
    for trial in 0..60 {
        let n = 1 + trial % 7;
        let (x, y) = (points::<4>(&mut rng, n, 1.0), points::<4>(&mut rng, n, 1.5));
        let w = vec![1.0 / n as f64; n];
        let t = wasserstein2(&x, &w, &y, &w).expect("valid measures");
        let brute = best_permutation(&x, &y);
        assert!(close(t.cost, brute, 1e-12, 0.0), "trial {trial}, n = {n}: {} vs brute force {brute}", t.cost);
        check_certificate(&t, &x, &w, &y, &w);
    }
}

/// Other masses: the transportation LP solved by the repository's dense simplex
/// (`numeric::lp`, another algorithm on the same LP), including atoms of zero mass.
#[test]
fn general_masses_match_the_dense_lp() {
    let mut rng = Random::new(12);
    for trial in 0..40 {
        let (n, k) = (1 + trial % 6, 1 + (trial / 6) % 6);
        let (x, y) = (points::<2>(&mut rng, n, 1.0), points::<2>(&mut rng, k, 1.0));
        let (mut a, mut b) = (masses(&mut rng, n), masses(&mut rng, k));
        if trial % 5 == 4 && n > 1 {
            // One atom of zero mass, its mass given to another.
            a[0] += a[n - 1];
            a[n - 1] = 0.0;
        }
        if trial % 7 == 3 && k > 1 {
            b[1] += b[0];
            b[0] = 0.0;
        }
        let t = wasserstein2(&x, &a, &y, &b).expect("valid measures");
        let mut rows = vec![0.0; (n + k) * n * k];
        for i in 0..n {
            for j in 0..k {
                rows[i * n * k + i * k + j] = 1.0;
                rows[(n + j) * n * k + i * k + j] = 1.0;
            }
        }
        let c: Vec<f64> = (0..n * k).map(|e| sq(&x[e / k], &y[e % k])).collect();
        let rhs: Vec<f64> = a.iter().chain(&b).copied().collect();
        let LpOutcome::Optimal(lp) = solve_standard_form(&rows, n + k, n * k, &rhs, &c) else { panic!("trial {trial}: the LP is feasible") };
        // The LP's own tolerances are 1e-9 to 1e-11 of its scaled data.
        assert!(close(t.cost, lp.objective, 1e-9, 1e-12), "trial {trial} ({n} × {k}): {} vs LP {}", t.cost, lp.objective);
        check_certificate(&t, &x, &a, &y, &b);
    }
}

/// In one dimension the monotone (quantile) coupling is optimal: for equal masses the sorted
/// matching, for any masses the north-west corner rule on the sorted atoms.
#[test]
fn one_dimension_is_the_sorted_coupling() {
    let mut rng = Random::new(13);
    for trial in 0..20 {
        let n = 20 + 7 * trial;
        let (x, y) = (points::<1>(&mut rng, n, 1.0), points::<1>(&mut rng, n, 2.0));
        let (mut xs, mut ys) = (x.clone(), y.clone());
        xs.sort_by(|p, q| p[0].total_cmp(&q[0]));
        ys.sort_by(|p, q| p[0].total_cmp(&q[0]));
        let sorted: f64 = xs.iter().zip(&ys).map(|(p, q)| sq(p, q)).sum::<f64>() / n as f64;
        let w = vec![1.0 / n as f64; n];
        let t = wasserstein2(&x, &w, &y, &w).expect("valid");
        assert!(close(t.cost, sorted, 1e-12, 0.0), "n = {n}: {} vs sorted {sorted}", t.cost);

        let k = n / 2 + 3;
        let (y, a, b) = (points::<1>(&mut rng, k, 1.0), masses(&mut rng, n), masses(&mut rng, k));
        let mut ix: Vec<usize> = (0..n).collect();
        let mut iy: Vec<usize> = (0..k).collect();
        ix.sort_by(|&p, &q| x[p][0].total_cmp(&x[q][0]));
        iy.sort_by(|&p, &q| y[p][0].total_cmp(&y[q][0]));
        let (mut p, mut q, mut left_a, mut left_b, mut corner) = (0, 0, a[ix[0]], b[iy[0]], 0.0);
        while p < n && q < k {
            let d = left_a.min(left_b);
            corner += d * sq(&x[ix[p]], &y[iy[q]]);
            (left_a, left_b) = (left_a - d, left_b - d);
            if left_a <= left_b {
                p += 1;
                left_a = if p < n { a[ix[p]] } else { 0.0 };
            } else {
                q += 1;
                left_b = if q < k { b[iy[q]] } else { 0.0 };
            }
        }
        let t = wasserstein2(&x, &a, &y, &b).expect("valid");
        assert!(close(t.cost, corner, 1e-12, 0.0), "n = {n}, k = {k}: {} vs quantile coupling {corner}", t.cost);
        check_certificate(&t, &x, &a, &y, &b);
    }
}

/// `W²(μ, μ(· − s)) = |s|²` for any measure of mass 1, whatever the order of the atoms.
#[test]
fn a_translation_costs_the_squared_shift() {
    let mut rng = Random::new(14);
    for trial in 0..10 {
        let n = 30 + 10 * trial;
        let (x, a) = (points::<4>(&mut rng, n, 1.0), masses(&mut rng, n));
        let s: [f64; 4] = std::array::from_fn(|_| 0.5 * rng.normal());
        let shift = sq(&s, &[0.0; 4]);
        // Reversed order, so that the identity is not the first plan tried.
        let y: Vec<[f64; 4]> = x.iter().rev().map(|p| std::array::from_fn(|d| p[d] + s[d])).collect();
        let b: Vec<f64> = a.iter().rev().copied().collect();
        let t = wasserstein2(&x, &a, &y, &b).expect("valid");
        assert!(close(t.cost, shift, 1e-12, 0.0), "n = {n}: {} vs |s|² = {shift}", t.cost);
        check_certificate(&t, &x, &a, &y, &b);
    }
}

/// Larger random instances: the certificate, the symmetry `W²(μ, ν) = W²(ν, μ)`, determinism
/// (the same bits twice), and degenerate inputs (repeated points, equal measures, one atom).
#[test]
fn certificate_symmetry_and_degenerate_cases() {
    let mut rng = Random::new(15);
    for trial in 0..6 {
        let (n, k) = (40 + 23 * trial, 60 + 11 * trial);
        let (mut x, y) = (points::<4>(&mut rng, n, 1.0), points::<4>(&mut rng, k, 3.0));
        for i in 0..n / 4 {
            x[n - 1 - i] = x[i]; // repeated points
        }
        let (a, b) = (masses(&mut rng, n), masses(&mut rng, k));
        let t = wasserstein2(&x, &a, &y, &b).expect("valid");
        check_certificate(&t, &x, &a, &y, &b);
        let back = wasserstein2(&y, &b, &x, &a).expect("valid");
        assert!(close(t.cost, back.cost, 1e-12, 0.0), "{} vs reversed {}", t.cost, back.cost);
        assert_eq!(t, wasserstein2(&x, &a, &y, &b).expect("valid"), "not deterministic");
        let same = wasserstein2(&x, &a, &x, &a).expect("valid");
        assert!(same.cost.abs() <= 1e-15 * t.cost, "W²(μ, μ) = {}", same.cost);
    }
    let t = wasserstein2(&[[1.0, 2.0]], &[0.5], &[[4.0, -2.0], [0.0, 0.0]], &[0.5, 0.0]).expect("valid");
    assert_eq!((t.cost, t.plan.len()), (12.5, 1));
    assert!(t.u.iter().chain(&t.v).all(|p| p.is_finite()), "zero-mass atoms get finite potentials too");
}

/// Measures that are not two discrete measures of equal mass are refused, with the reason.
#[test]
fn bad_measures_are_refused() {
    let x = [[0.0, 0.0], [1.0, 0.0]];
    let usage = |r: Result<Transport, Error>| match r {
        Err(Error::Usage(msg)) => msg,
        other => panic!("expected a usage error, got {other:?}"),
    };
    let msg = usage(wasserstein2(&x, &[0.5, 0.5], &x, &[0.5, 0.6]));
    assert!(msg.contains("total masses differ, 1 vs 1.1"), "{msg}");
    assert!(usage(wasserstein2(&x, &[0.5], &x, &[0.5, 0.5])).contains("first measure has 2 points but 1 masses"));
    assert!(usage(wasserstein2(&x, &[0.5, 0.5], &x, &[1.5, -0.5])).contains("mass 2 of the second measure is -0.5"));
    assert!(usage(wasserstein2(&[[0.0, f64::NAN], [1.0, 0.0]], &[0.5, 0.5], &x, &[0.5, 0.5])).contains("point 1 of the first measure"));
    assert!(usage(wasserstein2(&x, &[0.0, 0.0], &x, &[0.0, 0.0])).contains("no atom of positive mass"));
    // Round-off between the totals is accepted, and left where it is.
    let t = wasserstein2(&x, &[0.5, 0.5 + 1e-12], &x, &[0.5, 0.5]).expect("within the tolerance");
    assert!(t.cost == 0.0 && (t.unmatched - 1e-12).abs() < 1e-15, "{t:?}");
}

fn plane_report(m: usize, taus: &[f64]) -> PlanePathReport {
    let bytes = std::fs::read(PLANE_10).expect("plane-10.csv");
    let Ok(Dataset::Plane(data)) = Dataset::parse_bytes(&bytes, PLANE_10) else { panic!("plane data") };
    let params = PathParams { taus: taus.to_vec(), width: Width::Neurons { m, seed: 1 }, ..PathParams::default() };
    plane_path(&data, &params.check_plane(&data).expect("valid"), |_, _| {}).expect("solved")
}

/// The table on `plane-10.csv` at m = 200: finite, certified entries; on the diagonal the exact
/// `W²(ν_τ, τμ0)` is at most the path's own plan's cost. Whether each column's least entry is on
/// the diagonal (the paper's claim for large τ') is printed, not asserted.
#[test]
fn plane_table_is_finite_and_the_diagonal_is_below_the_paths_cost() {
    let taus = [0.1, 1.0, 10.0, 100.0];
    let report = plane_report(200, &taus);
    assert!(report.path.iter().all(|r| r.certified));
    let table = plane_transport_table(&report, &taus).expect("table");
    assert_eq!((table.path_taus.as_slice(), table.init_taus.as_slice()), (&taus[..], &taus[..]));
    for (i, row) in table.cost.iter().enumerate() {
        for (j, &c) in row.iter().enumerate() {
            assert!(c.is_finite() && c >= 0.0, "cost[{i}][{j}] = {c}");
            assert!(table.gap[i][j].abs() <= 1e-12 * c.max(1.0), "gap[{i}][{j}] = {} for cost {c}", table.gap[i][j]);
        }
        let own = report.path[i].transport_cost;
        assert_eq!(table.path_transport_cost[i], own);
        assert!(row[i] <= own * (1.0 + 1e-9), "τ = {}: W² = {} > the path's transport cost {own}", taus[i], row[i]);
    }
    println!("W²(ν_τ, τ'μ0) on plane-10.csv, m = 200, seed 1 (rows τ, columns τ'):");
    for (t, row) in taus.iter().zip(&table.cost) {
        println!("  τ = {t:>5}: {}", row.iter().map(|c| format!("{c:>12.6e}")).collect::<Vec<_>>().join(" "));
    }
    println!("  cheapest path τ per τ': {:?}", table.cheapest_path_tau);
    let last = taus.len() - 1;
    println!("  the claim for the largest τ' = {}: {}", taus[last], if table.cheapest_path_tau[last] == taus[last] { "holds" } else { "fails" });
}

/// The line's table from the same generic core: the diagonal below the path's costs.
#[test]
fn line_table_is_below_the_paths_costs() {
    let x: Vec<f64> = (0..8).map(|i| -1.6 + 0.45 * i as f64).collect();
    let y: Vec<f64> = x.iter().map(|&v| (1.4 * v).sin()).collect();
    let data = scaling_path::input::data::Data::new(x, y).expect("data");
    let taus = [0.1, 1.0, 10.0];
    let params = PathParams { taus: taus.to_vec(), width: Width::Neurons { m: 100, seed: 3 }, ..PathParams::default() };
    let report = scaling_path::solve_path(&data, &params.check(&data).expect("valid"), |_, _, _| {}).expect("solved");
    let table = transport_table(&report, &taus).expect("table");
    for (i, r) in report.path.iter().enumerate() {
        assert!(r.certified);
        assert!(table.cost[i][i] <= r.transport_cost * (1.0 + 1e-9), "τ = {}: {} > {}", r.tau, table.cost[i][i], r.transport_cost);
        assert!(table.cost[i].iter().all(|c| c.is_finite() && *c >= 0.0));
    }
}

/// `scaling-path transport`: the table as JSON, its shape; `--exact` refused on one line.
#[test]
fn cli_prints_the_table() {
    let out = run(&["transport", "--data", PLANE_10, "--width", "60", "--seed", "1", "--tau-range", "0.1:100:4"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(common::floats(&json["path_taus"]).len(), 4);
    assert_eq!(json["init_taus"], json["path_taus"]);
    assert_eq!(json["cheapest_path_tau"].as_array().map(Vec::len), Some(4));
    let cost = json["cost"].as_array().expect("rows");
    assert!(cost.len() == 4 && cost.iter().all(|row| common::floats(row).len() == 4));
    run_fails(&["transport", "--data", PLANE_10, "--width", "60", "--exact"], 2, &["--exact", "transport"]);
}
