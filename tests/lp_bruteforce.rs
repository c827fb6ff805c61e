//! Compares `scaling_path::numeric::lp::solve_standard_form` with brute-force vertex enumeration on a few
//! hundred small random problems (deterministic LCG): every m-subset of columns is tried as a
//! basis, and the best vertex objective must equal the simplex optimum. Unboundedness is decided
//! by brute force too: a feasible LP is unbounded iff some vertex d of
//! {A d = 0, sum d = 1, d >= 0} (an extreme ray) has c·d < 0.

use scaling_path::numeric::lp::{LpOutcome, LpSolution, solve_standard_form};

/// Deterministic 64-bit LCG (top 53 bits as a uniform in [0, 1)).
struct Lcg(u64);

impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n - 1)
    }
}

/// Solves the n × n system `mat x = rhs` (row-major) by Gaussian elimination with partial
/// pivoting; None if a pivot is below 1e-10 times the largest entry (numerically singular).
fn solve_square(mat: &[f64], n: usize, rhs: &[f64]) -> Option<Vec<f64>> {
    let (mut a, mut x) = (mat.to_vec(), rhs.to_vec());
    let big = mat.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    for col in 0..n {
        let p = (col..n).max_by(|&r, &s| a[r * n + col].abs().total_cmp(&a[s * n + col].abs()))?;
        if a[p * n + col].abs() <= 1e-10 * big {
            return None;
        }
        for j in 0..n {
            a.swap(col * n + j, p * n + j);
        }
        x.swap(col, p);
        for r in col + 1..n {
            let f = a[r * n + col] / a[col * n + col];
            for j in col..n {
                a[r * n + j] -= f * a[col * n + j];
            }
            x[r] -= f * x[col];
        }
    }
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|j| a[r * n + j] * x[j]).sum();
        x[r] = (x[r] - s) / a[r * n + r];
    }
    Some(x)
}

/// All size-`m` subsets of `0..k`, in lexicographic order.
fn subsets(k: usize, m: usize) -> Vec<Vec<usize>> {
    if m == 0 {
        return vec![vec![]];
    }
    (m - 1..k)
        .flat_map(|last| {
            subsets(last, m - 1).into_iter().map(move |mut s| {
                s.push(last);
                s
            })
        })
        .collect()
}

/// min c·x over the vertices of {A x = b, x >= 0} (A: m × k, full row rank), by enumerating
/// every basis; None if no basis is feasible.
fn best_vertex(a: &[f64], m: usize, k: usize, b: &[f64], c: &[f64]) -> Option<f64> {
    let mut best: Option<f64> = None;
    for cols in subsets(k, m) {
        let sub: Vec<f64> = (0..m).flat_map(|i| cols.iter().map(move |&j| a[i * k + j])).collect();
        let Some(xb) = solve_square(&sub, m, b) else {
            continue;
        };
        if xb.iter().all(|&v| v >= -1e-9) {
            let value: f64 = cols.iter().zip(&xb).map(|(&j, v)| c[j] * v).sum();
            best = Some(best.map_or(value, |s| s.min(value)));
        }
    }
    best
}

/// Row rank of the m × k matrix by elimination with partial pivoting (relative tolerance 1e-9).
fn rank(a: &[f64], m: usize, k: usize) -> usize {
    let mut a = a.to_vec();
    let big = a.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    let mut r = 0;
    for col in 0..k {
        let Some(p) = (r..m).max_by(|&s, &t| a[s * k + col].abs().total_cmp(&a[t * k + col].abs())) else {
            break;
        };
        if a[p * k + col].abs() <= 1e-9 * big {
            continue;
        }
        for j in 0..k {
            a.swap(r * k + j, p * k + j);
        }
        for i in r + 1..m {
            let f = a[i * k + col] / a[r * k + col];
            for j in col..k {
                a[i * k + j] -= f * a[r * k + j];
            }
        }
        r += 1;
    }
    r
}

/// Checks the simplex solution itself: x >= 0, supported on the basis, A x = b (relative to
/// |b_i| + max_j |a_ij| |x|_1), objective = c·x.
fn check_solution(a: &[f64], m: usize, k: usize, b: &[f64], c: &[f64], s: &LpSolution) {
    assert_eq!(s.x.len(), k);
    assert!(s.basis.len() <= m);
    for (j, &v) in s.x.iter().enumerate() {
        assert!(v >= 0.0 && (v == 0.0 || s.basis.contains(&j)), "x = {:?}, basis {:?}", s.x, s.basis);
    }
    for i in 0..m {
        let ax: f64 = (0..k).map(|j| a[i * k + j] * s.x[j]).sum();
        let size = b[i].abs() + (0..k).fold(0.0f64, |t, j| t.max(a[i * k + j].abs())) * s.x.iter().sum::<f64>();
        assert!((ax - b[i]).abs() <= 1e-10 * size.max(1e-300), "row {i}: {ax} vs {}", b[i]);
    }
    let cx: f64 = c.iter().zip(&s.x).map(|(p, q)| p * q).sum();
    assert!((cx - s.objective).abs() <= 1e-12 * (1.0 + cx.abs()));
}

#[test]
fn simplex_matches_vertex_enumeration() {
    let mut g = Lcg(20240611);
    let (mut optimal, mut unbounded, mut skipped) = (0, 0, 0);
    for instance in 0..600 {
        let m = 1 + g.below(4);
        let k = m + g.below(8 - m);
        // Kinds: 0 = uniform [-3, 3]; 1 = small integers (exact ties, degenerate vertices);
        // 2 = uniform with rows scaled by 10^[-4, 4].
        let kind = instance % 3;
        let mut a: Vec<f64> =
            (0..m * k).map(|_| if kind == 1 { (g.below(7) as f64) - 3.0 } else { g.range(-3.0, 3.0) }).collect();
        // Degenerate x0: each entry is zero with probability 0.4.
        let x0: Vec<f64> = (0..k).map(|_| if g.unit() < 0.4 { 0.0 } else { g.range(0.0, 2.0) }).collect();
        // Half of the instances are bounded by making the last row sum x = sum x0.
        if instance % 2 == 0 {
            a[(m - 1) * k..m * k].fill(1.0);
        }
        if kind == 2 {
            for i in 0..m {
                let s = 10f64.powf(g.range(-4.0, 4.0));
                a[i * k..(i + 1) * k].iter_mut().for_each(|v| *v *= s);
            }
        }
        let b: Vec<f64> = (0..m).map(|i| (0..k).map(|j| a[i * k + j] * x0[j]).sum()).collect();
        let c: Vec<f64> =
            (0..k).map(|_| if kind == 1 { (g.below(7) as f64) - 3.0 } else { g.range(-3.0, 3.0) }).collect();
        if rank(&a, m, k) < m {
            skipped += 1;
            continue;
        }
        // Brute-force ray check on {A d = 0, sum d = 1, d >= 0}.
        let mut ray_a = a.clone();
        ray_a.extend(std::iter::repeat_n(1.0, k));
        let mut ray_b = vec![0.0; m];
        ray_b.push(1.0);
        let ray = if k > m { best_vertex(&ray_a, m + 1, k, &ray_b, &c) } else { None };
        let outcome = solve_standard_form(&a, m, k, &b, &c);
        match ray {
            Some(r) if r.abs() <= 1e-7 => skipped += 1, // too close to call
            Some(r) if r < 0.0 => {
                assert!(matches!(outcome, LpOutcome::Unbounded), "instance {instance}: ray {r}, got {outcome:?}");
                unbounded += 1;
            }
            _ => {
                let best = best_vertex(&a, m, k, &b, &c).expect("b = A x0 is feasible");
                let LpOutcome::Optimal(s) = outcome else {
                    panic!("instance {instance}: expected optimum {best}, got {outcome:?}")
                };
                check_solution(&a, m, k, &b, &c, &s);
                assert!(
                    (s.objective - best).abs() <= 1e-9 * best.abs().max(1.0),
                    "instance {instance} (m {m}, k {k}): simplex {} vs best vertex {best}",
                    s.objective
                );
                optimal += 1;
            }
        }
    }
    eprintln!("{optimal} optimal, {unbounded} unbounded, {skipped} skipped");
    // The comparison must actually have happened on most instances, in both outcomes.
    assert!(
        optimal >= 350 && unbounded >= 30 && skipped <= 60,
        "{optimal} optimal, {unbounded} unbounded, {skipped} skipped"
    );
}

#[test]
fn infeasible_instances_are_detected() {
    // b outside the cone {A x : x >= 0}: A has a positive first row, b_0 < 0.
    let mut g = Lcg(99);
    for _ in 0..100 {
        let m = 1 + g.below(4);
        let k = m + g.below(8 - m);
        let mut a: Vec<f64> = (0..m * k).map(|_| g.range(-3.0, 3.0)).collect();
        a[..k].iter_mut().for_each(|v| *v = v.abs() + 0.1);
        let mut b: Vec<f64> = (0..m).map(|_| g.range(-3.0, 3.0)).collect();
        b[0] = -g.range(0.1, 3.0);
        let c: Vec<f64> = (0..k).map(|_| g.range(-3.0, 3.0)).collect();
        match solve_standard_form(&a, m, k, &b, &c) {
            LpOutcome::Infeasible { closest, infeasibility } => {
                assert!(infeasibility > 0.0 && closest.x.iter().all(|&v| v >= 0.0));
                // Farkas certificate: A^T y <= 0 and b·y = infeasibility > 0.
                for j in 0..k {
                    let aty: f64 = (0..m).map(|i| a[i * k + j] * closest.duals[i]).sum();
                    assert!(aty <= 1e-9, "A^T y = {aty}");
                }
                let by: f64 = b.iter().zip(&closest.duals).map(|(p, q)| p * q).sum();
                assert!((by - infeasibility).abs() <= 1e-9 * infeasibility.max(1.0));
            }
            other => panic!("expected Infeasible, got {other:?}"),
        }
    }
}

/// The structured share-LP solver (`scaling_path::solver::share_lp`: convexity rows as generalized upper
/// bounds, an n × n working basis) against the dense simplex on random feasible LPs of the share
/// LP's shape (n coupling rows, groups of columns summing to one, some columns duplicated or
/// nearly so, as tied pieces are): same optimum, coupling rows and shares to round-off. A warm
/// start from the optimal basis must reproduce the optimum at once. `Failed` (the recovery then
/// falls back to the dense solver) must be rare.
#[test]
fn share_lp_matches_the_dense_simplex() {
    use scaling_path::solver::share_lp::{ShareLp, ShareStatus, solve};
    let mut g = Lcg(2024);
    let (mut optimal, mut failed) = (0, 0);
    for instance in 0..400 {
        let n = 1 + g.below(6);
        let ng = 1 + g.below(6);
        let mut groups = Vec::new();
        let mut k = 0;
        for _ in 0..ng {
            let len = 1 + g.below(5);
            groups.push(k..k + len);
            k += len;
        }
        let mut a: Vec<f64> = (0..n * k).map(|_| g.range(-2.0, 2.0)).collect();
        // Nearly tied pieces: a column copied from its group's first one, up to 1e-12.
        for r in &groups {
            if r.len() > 1 && g.unit() < 0.4 {
                for i in 0..n {
                    a[(r.start + 1) * n + i] = a[r.start * n + i] * (1.0 + 1e-12 * g.range(-1.0, 1.0));
                }
            }
        }
        let c: Vec<f64> = (0..k).map(|_| g.range(0.0, 3.0)).collect();
        // Feasible: shares x0 summing to one per group.
        let mut x0 = vec![0.0; k];
        for r in &groups {
            let w: Vec<f64> = r.clone().map(|_| g.unit()).collect();
            let s: f64 = w.iter().sum::<f64>().max(1e-300);
            for (j, wj) in r.clone().zip(&w) {
                x0[j] = wj / s;
            }
        }
        let rhs: Vec<f64> = (0..n).map(|i| (0..k).map(|j| a[j * n + i] * x0[j]).sum()).collect();
        let lp = ShareLp { n, groups: &groups, a: &a, c: &c, r: &rhs };
        let s = solve(&lp, None);
        // The dense reference: rows = coupling rows, then one convexity row per group.
        let m = n + ng;
        let mut dense = vec![0.0; m * k];
        for j in 0..k {
            for i in 0..n {
                dense[i * k + j] = a[j * n + i];
            }
        }
        for (gi, r) in groups.iter().enumerate() {
            for j in r.clone() {
                dense[(n + gi) * k + j] = 1.0;
            }
        }
        let mut b = rhs.clone();
        b.extend(std::iter::repeat_n(1.0, ng));
        let LpOutcome::Optimal(d) = solve_standard_form(&dense, m, k, &b, &c) else {
            continue;
        };
        match s.status {
            ShareStatus::Failed => failed += 1,
            ShareStatus::Infeasible => {
                let miss = (0..n).map(|i| ((0..k).map(|j| a[j * n + i] * s.x[j]).sum::<f64>() - rhs[i]).abs()).fold(0.0, f64::max);
                // Rounding between nearly tied columns may stop phase one a hair short.
                if miss <= 1e-10 {
                    failed += 1;
                    continue;
                }
                panic!("instance {instance} (n {n}, groups {ng}, k {k}): feasible by construction, reported infeasible, miss {miss:e}, pivots {}", s.pivots)
            }
            ShareStatus::Optimal => {
                let obj: f64 = s.x.iter().zip(&c).map(|(x, c)| x * c).sum();
                assert!(
                    (obj - d.objective).abs() <= 1e-9 * d.objective.abs().max(1.0),
                    "instance {instance} (n {n}, groups {ng}, k {k}): share LP {obj} vs dense {}",
                    d.objective
                );
                assert!(s.x.iter().all(|&v| v >= 0.0));
                for r in &groups {
                    let sum: f64 = s.x[r.clone()].iter().sum();
                    assert!((sum - 1.0).abs() <= 1e-12, "instance {instance}: shares sum to {sum}");
                }
                for i in 0..n {
                    let row: f64 = (0..k).map(|j| a[j * n + i] * s.x[j]).sum();
                    let size: f64 = (0..k).map(|j| (a[j * n + i] * s.x[j]).abs()).sum::<f64>() + rhs[i].abs();
                    assert!((row - rhs[i]).abs() <= 1e-9 * size.max(1.0), "instance {instance}: row {i} misses by {}", row - rhs[i]);
                }
                let warm = solve(&lp, Some(&s.basis));
                assert_eq!(warm.status, ShareStatus::Optimal);
                let wobj: f64 = warm.x.iter().zip(&c).map(|(x, c)| x * c).sum();
                assert!((wobj - obj).abs() <= 1e-9 * obj.abs().max(1.0) && warm.pivots <= s.pivots);
                optimal += 1;
            }
        }
    }
    eprintln!("{optimal} optimal, {failed} failed");
    assert!(optimal >= 350 && failed <= 8, "{optimal} optimal, {failed} failed");
}
